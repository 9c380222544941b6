import { randomBytes } from 'node:crypto';
import { getJob, listJobs, type Job } from '../../adapters/dynamodb/jobs.js';
import type { REPORT_KINDS, ReportView } from '../../api-schemas.js';
import type { BusinessDate } from '../../domain/business-date.js';
import { finishedRows, jobProgress, jobTimes } from '../engine/job-view.js';
import { startJob, watchJob } from '../engine/lifecycle.js';
import { dormantReport, type DormantRow, type DormantSummary } from './kind.js';

/** A report kind of POST /admin/reports. */
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The job kind that computes each report kind of POST /admin/reports. */
const JOB_OF_REPORT = { dormant: dormantReport } as const satisfies Record<ReportKind, unknown>;

/** The columns of the rows' CSV, in order (contacts joined by "; "). */
export const DORMANT_COLUMNS = [
  'groupId',
  'name',
  'contacts',
  'lastOrderDate',
  'daysSinceLastOrder',
  'orders365',
  'sum365',
  'sum90d',
  'toLowestPaidTier',
  'r',
  'f',
  'm',
  'segment',
] as const satisfies readonly (keyof DormantRow)[];

/** Starts a report as of D (§4.6): records it and queues its map tasks. Takes no lease: it may run beside a recalculation. */
export async function startReport(kind: ReportKind, asOf: BusinessDate): Promise<{ reportId: string }> {
  const reportId = `${kind}-${asOf}-${randomBytes(4).toString('hex')}`;
  await startJob(JOB_OF_REPORT[kind], { jobId: reportId, asOf, trigger: 'admin', params: { report: kind } });
  return { reportId };
}

/** A report job by id, watched (resumed or failed when it has stalled); undefined for any other id. */
async function findReport(reportId: string): Promise<Job | undefined> {
  const job = await getJob(reportId);
  return job && job.kind === dormantReport.name ? watchJob(dormantReport, job) : undefined;
}

/** The §4.6 answer for a report: its summary once it has succeeded (null before, never partial numbers). */
function reportView(job: Job): ReportView {
  const summary = job.summary as DormantSummary | undefined;
  return {
    reportId: job.jobId,
    kind: job.params.report as ReportKind,
    asOf: job.asOf,
    status: job.status,
    programVersion: summary?.programVersion ?? null,
    rows: summary?.rows ?? null,
    segments: summary?.segments ?? null,
    winBack: summary?.winBack ?? null,
    progress: jobProgress(job),
    ...jobTimes(job),
  };
}

/** GET /admin/reports/{id}. */
export async function describeReport(reportId: string): Promise<ReportView | undefined> {
  const job = await findReport(reportId);
  return job && reportView(job);
}

/** GET /admin/reports: reports newest first, a page at a time. */
export async function listReports(limit: number, cursor?: string): Promise<{ reports: ReportView[]; next: string | null }> {
  const { jobs, next } = await listJobs(dormantReport.name, limit, cursor);
  return { reports: jobs.map(reportView), next: next ?? null };
}

/** Rows `offset` to `offset + limit` of a succeeded report, in its ranking; 409 before it has succeeded. */
export async function reportRows(reportId: string, offset: number, limit: number): Promise<{ rows: DormantRow[]; total: number } | undefined> {
  const job = await findReport(reportId);
  return job && ((await finishedRows(job, `Report ${reportId}`, offset, limit)) as { rows: DormantRow[]; total: number });
}
