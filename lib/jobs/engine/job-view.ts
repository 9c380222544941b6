import { readResultRows } from '../../adapters/dynamodb/job-rows.js';
import type { Job } from '../../adapters/dynamodb/jobs.js';
import { conflict } from '../../http/errors.js';

/** How far a job has got, as the admin API shows it (the same for every kind). */
export function jobProgress(job: Pick<Job, 'phase' | 'mapDone' | 'mapShards' | 'reduceDone' | 'reduceShards'>) {
  return {
    phase: job.phase,
    mapShardsDone: job.mapDone.length,
    mapShards: job.mapShards,
    reduceShardsDone: job.reduceDone.length,
    reduceShards: job.reduceShards,
  };
}

/** When a job started and finished, and why it failed. */
export function jobTimes(job: Pick<Job, 'startedAt' | 'finishedAt' | 'error'>) {
  return { startedAt: job.startedAt, finishedAt: job.finishedAt ?? null, ...(job.error ? { error: job.error } : {}) };
}

/**
 * Rows `offset` to `offset + limit` of a job's result in their final order, with the total; a conflict
 * (409) while the job has not succeeded, so a reader never gets a partial list. `what` names it, e.g. "Simulation X".
 */
export async function finishedRows(job: Job, what: string, offset: number, limit: number): Promise<{ rows: unknown[]; total: number }> {
  if (job.status !== 'succeeded' || !job.resultPages) {
    throw conflict(`${what} is ${job.status}${job.error ? ` (${job.error})` : ''}: its rows are listed once it has succeeded`);
  }
  return { rows: await readResultRows(job.jobId, job.resultPages, offset, limit), total: job.resultPages.rows };
}
