import { ReportId } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { describeReport } from '../lib/jobs/dormant-report/reports.js';

/** GET /admin/reports/{reportId}: status and, once succeeded, rows, segments and the win-back rate (§4.6). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const reportId = idFromPath(event, 'reportId', ReportId, 'report');
  const report = await describeReport(reportId);
  if (!report) throw notFound(`Report ${reportId} is not known`);
  return json(200, report);
});
