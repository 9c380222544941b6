import type { Job } from '../../adapters/dynamodb/jobs.js';

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
