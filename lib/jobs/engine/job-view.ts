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

/** Seconds between two instants, to a tenth; null while the later one is not known. */
function secondsBetween(from: string | undefined, to: string | undefined): number | null {
  if (!from || !to) return null;
  return Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10;
}

/** When each phase of a job started and finished, and how long it took (null while not known). */
export function jobPhases(job: Pick<Job, 'startedAt' | 'mapFinishedAt' | 'reduceFinishedAt' | 'finishedAt' | 'status'>) {
  const finishedAt = job.status === 'succeeded' ? job.finishedAt : undefined;
  const phase = (startedAt: string | undefined, endedAt: string | undefined) => ({
    startedAt: startedAt ?? null,
    finishedAt: endedAt ?? null,
    seconds: secondsBetween(startedAt, endedAt),
  });
  return {
    durationSeconds: secondsBetween(job.startedAt, job.finishedAt),
    phases: {
      map: phase(job.startedAt, job.mapFinishedAt),
      reduce: phase(job.mapFinishedAt, job.reduceFinishedAt),
      finish: phase(job.reduceFinishedAt, finishedAt),
    },
  };
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
