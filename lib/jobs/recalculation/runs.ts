import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { program } from '../../config.js';
import { getJob, listJobs, listRecentJobs, type Job } from '../../adapters/dynamodb/jobs.js';
import { acquireRunLease, releaseRunLease } from '../../adapters/dynamodb/run-lease.js';
import { addDays, businessDateAt, type BusinessDate } from '../../domain/business-date.js';
import { conflict } from '../../http/errors.js';
import { logger } from '../../observability.js';
import { programVersionForRun } from '../../program/program-versions.js';
import { failJobWithReason, resumeJob, startJob, STALLED_AFTER_MS } from '../engine/lifecycle.js';
import { distributionFromRecord, type TierDistribution } from '../../domain/tier-distribution.js';
import { noCounts, type RunCounts, type RunResultRecord } from './evaluate-shard.js';
import { recalculation, type RunSweep } from './kind.js';

/** How long a run may hold the lease before another run may take over (a run normally takes minutes). */
const LEASE_SECONDS = 2 * 3600;

/** The form of every run id `startRun` makes (its as-of date and 8 random hex digits): anything else names no run. */
export const RunId = z.string().regex(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/, 'run ids look like 2026-11-21-1a2b3c4d');

/** A recalculation as the admin API reports it: the job, the program version it applies, its counts. */
export interface Run extends RunCounts, Omit<Job, 'jobId' | 'params' | 'summary'> {
  runId: string;
  /** The program version the whole run applies, chosen when it started. */
  programVersion?: number;
  /** Every group the run evaluated by the tier it left it in; set when the run succeeded. */
  tiers?: TierDistribution;
  /** What the sweep at its end published again (null: the sweep failed); set when the run succeeded. */
  sweep?: RunSweep | null;
}

function runOf(job: Job): Run {
  const { jobId, params, summary, ...rest } = job;
  const { tiers, sweep, ...recorded } = (summary as Partial<RunResultRecord & { sweep: RunSweep | null }> | undefined) ?? {};
  // Runs finished before notices existed have no notice counts: they sent none.
  const counts: RunCounts = { ...noCounts(), ...recorded, notices: { ...noCounts().notices, ...recorded.notices } };
  return { ...rest, ...counts, runId: jobId, programVersion: params.programVersion as number | undefined, ...(tiers ? { tiers: distributionFromRecord(tiers) } : {}), ...(sweep !== undefined ? { sweep } : {}) };
}

/** A recalculation by id; undefined for an unknown id or a job of another kind. */
export async function getRun(runId: string): Promise<Run | undefined> {
  const job = await getJob(runId);
  return job && job.kind === recalculation.name ? runOf(job) : undefined;
}

/** The newest runs, newest first; with `succeededOnly`, the newest succeeded ones. */
export async function listRecentRuns(limit: number, options: { succeededOnly?: boolean } = {}): Promise<Run[]> {
  const jobs = await listRecentJobs(recalculation.name, limit, options.succeededOnly ? { status: 'succeeded' } : {});
  return jobs.map(runOf);
}

/** Runs, newest first, a page at a time: `cursor` is the `next` of the page before (one cursor scheme for every job listing). */
export async function listRuns(limit: number, cursor?: string): Promise<{ runs: Run[]; next?: string }> {
  const { jobs, next } = await listJobs(recalculation.name, limit, cursor);
  return { runs: jobs.map(runOf), ...(next ? { next } : {}) };
}

/**
 * Re-queues the unfinished tasks of a running recalculation now (the engine's resume); undefined for an
 * unknown id or a job of another kind.
 */
export async function resumeRun(runId: string): Promise<{ run: Run; requeued: number } | undefined> {
  const known = await getJob(runId);
  if (!known || known.kind !== recalculation.name) return undefined;
  const { job, requeued } = await resumeJob(runId);
  return { run: runOf(job ?? known), requeued };
}

/** The as-of date of the nightly run started at `now`: yesterday in the program time zone (§2.4). */
export function nightlyAsOf(now: Date): BusinessDate {
  return addDays(businessDateAt(now, program.timeZone), -1);
}

/**
 * Starts a recalculation for as-of date D: takes the run lease, records the run with the program version
 * in effect at D and queues its map tasks. Asking again for the D that is running answers with that run
 * (and resumes it when it has stalled); another D while a run is in progress is a conflict (a stalled one
 * is resumed all the same, and the message names the route that resumes it at once).
 */
export async function startRun(asOf: BusinessDate, trigger: string, attempt = 1): Promise<{ runId: string; alreadyRunning: boolean }> {
  const runId = `${asOf}-${randomBytes(4).toString('hex')}`;
  const lease = await acquireRunLease(runId, asOf, LEASE_SECONDS);
  if (lease.acquired && lease.lapsed) await failJobWithReason(recalculation, lease.lapsed.runId, `abandoned: its lease lapsed and run ${runId} took over`);
  if (!lease.acquired) {
    const holder = await getJob(lease.holder.runId);
    if (!holder || holder.status !== 'running') {
      // The holder finished (or never got recorded) but its lease was not given back: take it over.
      await releaseRunLease(lease.holder.runId);
      if (attempt < 3) return startRun(asOf, trigger, attempt + 1);
    }
    const stalled = holder?.status === 'running' && Date.now() - Date.parse(holder.updatedAt) > STALLED_AFTER_MS;
    if (stalled) await resumeJob(holder.jobId);
    if (lease.holder.asOf === asOf && holder) return { runId: holder.jobId, alreadyRunning: true };
    throw conflict(
      `Run ${lease.holder.runId} for ${lease.holder.asOf} is in progress${stalled ? ' (it had stalled and was resumed just now)' : ''}; ` +
        `try again when it has finished (a stuck run resumes at once with POST /admin/runs/${lease.holder.runId}/resume)`,
    );
  }
  try {
    // Chosen once the lease is held, and recorded: every task of the run applies this one version.
    const { version: programVersion } = await programVersionForRun(asOf);
    await startJob(recalculation, { jobId: runId, asOf, trigger, params: { programVersion } });
  } catch (error) {
    await releaseRunLease(runId);
    throw error;
  }
  logger.info('recalculation started', { runId, asOf, trigger });
  return { runId, alreadyRunning: false };
}
