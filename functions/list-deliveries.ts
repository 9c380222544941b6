import { z } from 'zod';
import { apiHandler, json, requireBearer, validate } from '../lib/http/api.js';
import { owedDeliveries } from '../lib/delivery/sweep.js';

const DeliveriesQuery = z.object({
  state: z.enum(['owed'], 'must be owed (delivered ones are not listed)').default('owed'),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 1000').max(1000, 'must be 1 to 1000').default(100),
});

/** GET /admin/deliveries?state=owed: how many deliveries are owed, and the oldest of them with what each channel recorded. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { state, limit } = validate(DeliveriesQuery, event.queryStringParameters ?? {});
  const { count, deliveries } = await owedDeliveries(limit);
  return json(200, {
    state,
    count,
    // The message body is what the queues carry; the listing shows who is owed what.
    deliveries: deliveries.map(({ body: _body, ...delivery }) => delivery),
  });
});
