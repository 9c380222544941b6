import { z } from 'zod';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { AsOfDate } from '../lib/http/as-of.js';
import { REPORT_KINDS, startReport, type ReportKind } from '../lib/jobs/dormant-report/reports.js';

const ReportRequest = z.object({ kind: z.enum(Object.keys(REPORT_KINDS) as [ReportKind]), asOf: AsOfDate }).strict();

/** POST /admin/reports: starts a report as of a date (§4.6; `kind: "dormant"`, the win-back list). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { kind, asOf } = readJsonBody(event, ReportRequest);
  return json(202, await startReport(kind, asOf));
});
