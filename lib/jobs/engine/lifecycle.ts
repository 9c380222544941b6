import { readShardResults } from '../../adapters/dynamodb/job-shard-results.js';
import { putResultPages, readShardRows } from '../../adapters/dynamodb/job-rows.js';
import { advancePhase, completeJob, createJob, failJob, getJob, listRecentJobs, markShardDone, noteResumed, type Job, type JobKindName, type NewJob } from '../../adapters/dynamodb/jobs.js';
import { shardKey } from '../../domain/sharding.js';
import { GROUP_SHARDS, ORDER_SHARDS } from '../../infra/resources.js';
import { logger } from '../../observability.js';
import type { JobKind } from './job-kind.js';
import { mapShard, reduceShard } from './map-reduce.js';
import { enqueueTasks, type JobTask } from './tasks.js';

/** A job with no shard finished for this long has lost its tasks: it is resumed (or, past the limit, failed). */
export const STALLED_AFTER_MS = 10 * 60 * 1000;
/** How many times a stalled job is resumed before it is failed with the reason. */
const MAX_RESUMES = 3;

/**
 * Starts a job: records it in its map phase (one map task per order shard, one reduce task per group
 * shard) and queues its map tasks. A job that cannot be queued is failed with the reason, never left
 * running without tasks.
 */
export async function startJob(kind: JobKind, job: Omit<NewJob, 'kind' | 'keep' | 'mapShards' | 'reduceShards'>): Promise<void> {
  await createJob({ ...job, kind: kind.name, keep: kind.keepsResults, mapShards: ORDER_SHARDS, reduceShards: GROUP_SHARDS });
  try {
    await enqueueTasks(job.jobId, 'map', ORDER_SHARDS);
  } catch (error) {
    await failJobWithReason(kind, job.jobId, `could not start: ${(error as Error).message}`);
    throw error;
  }
  logger.info('job started', { jobId: job.jobId, kind: kind.name, asOf: job.asOf, trigger: job.trigger });
}

/** How many jobs a worker process keeps prepared (a job runs its tasks on a few warm workers for minutes). */
const JOBS_KEPT = 8;

/**
 * A job a worker process has run a task of: its kind, its definition as first read (id, kind, date,
 * params and shard counts never change) and its context.
 */
interface PreparedJob {
  kind: JobKind;
  job: Job;
  context: Promise<unknown>;
}
const preparedJobs = new Map<string, PreparedJob>();

/**
 * What every task of the job needs, loaded once per job in a worker process (never per task or per group):
 * a context is made of the job's own parameters and stored program versions, which are never changed once
 * stored. A failed load is forgotten, so the next task tries again.
 */
function prepared(kind: JobKind, job: Job): PreparedJob {
  let entry = preparedJobs.get(job.jobId);
  if (!entry) {
    entry = { kind, job, context: kind.prepare(job) };
    preparedJobs.set(job.jobId, entry);
    entry.context.catch(() => preparedJobs.delete(job.jobId));
    if (preparedJobs.size > JOBS_KEPT) preparedJobs.delete(preparedJobs.keys().next().value!);
  }
  return entry;
}

/** Stops a shard's work before it writes anything: the job no longer needs the shard (it ended, moved on, or another attempt did it). */
class ShardNotNeeded extends Error {
  override name = 'ShardNotNeeded';
}

/**
 * Runs one task of a job; a task for a finished job, phase or shard is acknowledged without work, except
 * that a shard already done still moves the job on (the attempt that marked it may have died right after).
 * A worker that has prepared the job already reads the shard while it reads the job item: the task's
 * writes wait until the job is known to need the shard.
 */
export async function runJobTask(task: JobTask, kindOf: (job: Job) => JobKind): Promise<void> {
  const current = getJob(task.jobId);
  const warm = task.phase === 'finish' ? undefined : preparedJobs.get(task.jobId);
  if (warm) return runShard(task, warm, current);
  const job = await current;
  if (!job || job.status !== 'running') return;
  if (task.phase === 'finish') {
    if (job.phase === 'finish') await finishJob(kindOf(job), job);
    return;
  }
  if (job.phase === task.phase) await runShard(task, prepared(kindOf(job), job), current);
}

/** Runs a map or reduce shard, its writes held until `current` (the job item as it now stands) says the shard is needed. */
async function runShard(task: JobTask, { kind, job: definition, context }: PreparedJob, current: Promise<Job | undefined>): Promise<void> {
  const phase = task.phase as 'map' | 'reduce';
  const needed = current.then((job) => {
    const done = job?.[phase === 'map' ? 'mapDone' : 'reduceDone'] ?? [];
    if (job?.status !== 'running' || job.phase !== phase || done.includes(task.shard)) throw new ShardNotNeeded();
  });
  needed.catch(() => undefined);
  let job: Job | undefined;
  try {
    const run = phase === 'map' ? mapShard : reduceShard;
    const groups = await run(kind, definition, await context, task.shard, needed);
    logger.debug(`${phase} shard done`, { jobId: definition.jobId, kind: definition.kind, shard: task.shard, groups });
    job = await markShardDone(definition.jobId, phase, task.shard);
  } catch (error) {
    if (!(error instanceof ShardNotNeeded)) throw error;
    job = await current;
    if (job?.status !== 'running' || job.phase !== phase) return;
  }
  await (phase === 'map' ? afterMapShard(job) : afterReduceShard(kind, job));
}

/**
 * After a map shard: once every map shard is done, flip the job to its reduce phase (one worker wins) and
 * queue the reduce shards, so no reduce task can arrive before its phase. A crash between the two leaves
 * a quiet job that resuming re-queues.
 */
async function afterMapShard(job: Job): Promise<void> {
  if (job.phase !== 'map' || job.mapDone.length < job.mapShards) return;
  if (await advancePhase(job.jobId, 'map', 'reduce')) await enqueueTasks(job.jobId, 'reduce', job.reduceShards);
}

/**
 * After a reduce shard: once every reduce shard is done, flip the job to its finish phase and finish it
 * right here (the job is quiet but for this worker, and a task round trip would only add a wait). A finish
 * that fails is queued as a task of its own, with the queue's retries and dead-letter queue; a worker that
 * dies in between leaves a quiet job in its finish phase, which resuming queues.
 */
async function afterReduceShard(kind: JobKind, job: Job): Promise<void> {
  if (job.phase !== 'reduce' || job.reduceDone.length < job.reduceShards) return;
  if (!(await advancePhase(job.jobId, 'reduce', 'finish'))) return;
  try {
    await finishJob(kind, { ...job, phase: 'finish' });
  } catch (error) {
    logger.warn('job finish failed; queued as a task of its own', { jobId: job.jobId, kind: job.kind, error: error as Error });
    await enqueueTasks(job.jobId, 'finish', 1);
  }
}

/**
 * Finish: hands every reduce shard's result and rows to the kind, writes the rows it returns as pages of
 * items, and marks the job succeeded with its summary. Writing the same pages again is harmless, so a
 * retried finish is too; only then is the job succeeded, so no partial numbers are ever reported as final.
 */
async function finishJob(kind: JobKind, job: Job): Promise<void> {
  const results = await readShardResults(job.jobId);
  const missing = Array.from({ length: job.reduceShards }, (_, i) => shardKey(i)).filter((shard) => !results.has(shard));
  if (missing.length > 0) throw new Error(`Job ${job.jobId} is finishing without the results of reduce shards ${missing.join(', ')}`);
  const shards = [...results].sort(([a], [b]) => a.localeCompare(b));
  const rows = await readShardRows(job.jobId, new Map(shards.map(([shard, { rowChunks }]) => [shard, rowChunks])));
  const output = await kind.finish({
    job,
    context: await prepared(kind, job).context,
    shards: shards.map(([shard, { result }], i) => ({ shard, result, rows: rows[i]! })),
  });
  const pages = output.rows ? await putResultPages(job.jobId, output.rows, kind.keepsResults) : undefined;
  if (!(await completeJob(job.jobId, output.summary, pages))) return;
  logger.info('job succeeded', { jobId: job.jobId, kind: job.kind, asOf: job.asOf });
  await kind.afterEnd?.(job, { status: 'succeeded', summary: output.summary });
}

/** Fails a job with the reason (a task exhausted its retries, it stalled too often) and lets its kind clean up. */
export async function failJobWithReason(kind: JobKind, jobId: string, reason: string): Promise<void> {
  if (!(await failJob(jobId, reason))) return;
  logger.warn('job failed', { jobId, kind: kind.name, reason });
  const job = await getJob(jobId);
  if (job) await kind.afterEnd?.(job, { status: 'failed' });
}

/**
 * Re-queues the unfinished tasks of a running job's current phase (after a crash lost tasks, or to go on
 * after an interruption); safe while tasks are still in flight, since a shard done twice changes nothing.
 * When every shard of the phase is done but the job did not move on (the last worker died just before),
 * one task of a finished shard is queued: the worker that gets it moves the job on.
 */
export async function resumeJob(jobId: string): Promise<{ job: Job | undefined; requeued: number }> {
  const job = await getJob(jobId);
  if (!job || job.status !== 'running' || job.phase === 'done') return { job, requeued: 0 };
  await noteResumed(jobId);
  if (job.phase === 'finish') return { job, requeued: await enqueueTasks(jobId, 'finish', 1) };
  const [done, count] = job.phase === 'map' ? [job.mapDone, job.mapShards] : [job.reduceDone, job.reduceShards];
  const finished = new Set(done);
  const unfinished = new Set(Array.from({ length: count }, (_, i) => shardKey(i)).filter((shard) => !finished.has(shard)));
  const requeued = await enqueueTasks(jobId, job.phase, count, unfinished.size > 0 ? unfinished : new Set([shardKey(0)]));
  logger.info('job resumed', { jobId, kind: job.kind, phase: job.phase, requeued });
  return { job, requeued };
}

/** How many running jobs of each kind a restart looks at (running jobs are few: one run, some simulations and reports). */
const RUNNING_JOBS_PER_KIND = 50;

/**
 * Resumes every job of the given kinds that is still running: what a restarted local stack does, since its
 * in-memory queue lost their tasks. Resuming a job whose tasks are still queued is harmless.
 */
export async function resumeUnfinishedJobs(kinds: readonly JobKindName[]): Promise<{ jobId: string; kind: JobKindName; asOf: string; phase: string; requeued: number }[]> {
  const running = (await Promise.all(kinds.map((kind) => listRecentJobs(kind, RUNNING_JOBS_PER_KIND, { status: 'running' })))).flat();
  const resumed = [];
  for (const { jobId } of running) {
    const { job, requeued } = await resumeJob(jobId);
    if (job && job.status === 'running') resumed.push({ jobId, kind: job.kind, asOf: job.asOf, phase: job.phase, requeued });
  }
  return resumed;
}

/**
 * A job as its reader should see it: one that has made no progress for `STALLED_AFTER_MS` is resumed (its
 * tasks were lost: a restarted local stack, a purged queue) or, after `MAX_RESUMES` resumes, failed with
 * the reason; so a job killed mid-way never stays "running" for ever.
 */
export async function watchJob(kind: JobKind, job: Job, now = Date.now()): Promise<Job> {
  if (job.status !== 'running' || now - Date.parse(job.updatedAt) < STALLED_AFTER_MS) return job;
  if (job.resumes >= MAX_RESUMES) {
    await failJobWithReason(kind, job.jobId, `stalled: no progress for ${STALLED_AFTER_MS / 60_000} minutes after ${job.resumes} resumes`);
  } else {
    await resumeJob(job.jobId);
  }
  return (await getJob(job.jobId)) ?? job;
}
