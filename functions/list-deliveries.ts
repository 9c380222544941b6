import { DeliveriesQuerySchema, type OwedDeliveries } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer, validate } from '../lib/http/api.js';
import { owedDeliveries } from '../lib/delivery/sweep.js';

/** GET /admin/deliveries?state=owed: how many deliveries are owed, and the oldest of them with what each channel recorded. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { state, limit } = validate(DeliveriesQuerySchema, event.queryStringParameters ?? {});
  const { count, deliveries } = await owedDeliveries(limit);
  return json(200, {
    state,
    count,
    // The message body is what the queues carry; the listing shows who is owed what.
    deliveries: deliveries.map(({ body: _body, ...delivery }) => delivery),
  } satisfies OwedDeliveries);
});
