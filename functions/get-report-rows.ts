import { ReportId, ResultRowsQuerySchema } from '../lib/api-schemas.js';
import { apiHandler, requireBearer, validate } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { resultRowsAnswer } from '../lib/http/result-rows.js';
import { DORMANT_COLUMNS, reportRows } from '../lib/jobs/dormant-report/reports.js';

/**
 * GET /admin/reports/{reportId}/rows[?format=csv]: the report's rows in its ranking, as JSON or CSV (contacts
 * joined by "; "), in pages of at most 10,000 (`offset`, `limit`, a `link` header to the next).
 */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const reportId = idFromPath(event, 'reportId', ReportId, 'report');
  const request = validate(ResultRowsQuerySchema, event.queryStringParameters ?? {});
  const page = await reportRows(reportId, request.offset, request.limit);
  if (!page) throw notFound(`Report ${reportId} is not known`);
  if (request.format === 'json') return resultRowsAnswer(event, request, page, DORMANT_COLUMNS, `${reportId}.csv`);
  const rows = page.rows.map((row) => ({ ...row, contacts: row.contacts.join('; ') }));
  return resultRowsAnswer(event, request, { rows, total: page.total }, DORMANT_COLUMNS, `${reportId}.csv`);
});
