import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { describeReport } from '../lib/jobs/dormant-report/reports.js';

/** GET /admin/reports/{reportId}: status and, once succeeded, rows, segments and the win-back rate (§4.6). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const reportId = event.pathParameters?.reportId ?? '';
  const report = await describeReport(reportId);
  if (!report) throw notFound(`Report ${reportId} is not known`);
  return json(200, report);
});
