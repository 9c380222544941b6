import { ReportRequestSchema } from '../lib/api-schemas.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { startReport } from '../lib/jobs/dormant-report/reports.js';

/** POST /admin/reports: starts a report as of a date (§4.6; `kind: "dormant"`, the win-back list). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { kind, asOf } = readJsonBody(event, ReportRequestSchema);
  return json(202, await startReport(kind, asOf));
});
