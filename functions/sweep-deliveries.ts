import { z } from 'zod';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { redeliverAfterMinutes } from '../lib/config.js';
import { sweepOwedDeliveries } from '../lib/delivery/sweep.js';

const SweepRequest = z.object({
  olderThanMinutes: z.number('must be a number of minutes').min(0, 'must be 0 or more').max(43_200, 'must be at most 43200 (30 days)').default(redeliverAfterMinutes),
});

/**
 * POST /admin/deliveries/sweep [{"olderThanMinutes": n}]: publishes again every delivery still owed that was
 * last published more than n minutes ago (default REDELIVER_AFTER_MINUTES); an empty body takes the default.
 */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { olderThanMinutes } = event.body ? readJsonBody(event, SweepRequest) : SweepRequest.parse({});
  return json(200, await sweepOwedDeliveries(olderThanMinutes));
});
