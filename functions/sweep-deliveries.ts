import { SweepRequestSchema } from '../lib/api-schemas.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { redeliverAfterMinutes } from '../lib/config.js';
import { sweepOwedDeliveries } from '../lib/delivery/sweep.js';

/**
 * POST /admin/deliveries/sweep [{"olderThanMinutes": n}]: publishes again every delivery still owed that was
 * last published more than n minutes ago (default REDELIVER_AFTER_MINUTES); an empty body takes the default.
 */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { olderThanMinutes } = event.body ? readJsonBody(event, SweepRequestSchema, 'nothing was published') : {};
  return json(200, await sweepOwedDeliveries(olderThanMinutes ?? redeliverAfterMinutes));
});
