import { z } from 'zod';
import { AsOfDate } from '../lib/http/as-of.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { ErpId } from '../lib/ingest/schemas.js';
import { resetAppliedDate } from '../lib/use-cases/reset-applied-date.js';

const ResetRequest = z.object({
  asOf: AsOfDate,
  groupIds: z.array(ErpId).min(1, 'give 1 to 500 group ids, or leave groupIds out for every group').max(500, 'give 1 to 500 group ids').optional(),
});

/**
 * POST /admin/repair/applied-date {"asOf", "groupIds"?}: sets groups evaluated after asOf (those given, or all)
 * back to asOf, so the next run re-evaluates them; 409 while a run is in progress.
 */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { asOf, groupIds } = readJsonBody(event, ResetRequest);
  return json(200, await resetAppliedDate(asOf, groupIds));
});
