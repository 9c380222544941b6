import { ResetAppliedDateRequestSchema, type ResetAppliedDate } from '../lib/api-schemas.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { resetAppliedDate } from '../lib/use-cases/reset-applied-date.js';

/**
 * POST /admin/repair/applied-date {"asOf", "groupIds"?}: sets groups evaluated after asOf (those given, or all)
 * back to asOf, so running asOf again re-evaluates them; 409 while a run is in progress.
 */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { asOf, groupIds } = readJsonBody(event, ResetAppliedDateRequestSchema, 'nothing was reset');
  return json(200, (await resetAppliedDate(asOf, groupIds)) satisfies ResetAppliedDate);
});
