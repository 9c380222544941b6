import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { program } from '../config.js';
import {
  acquireRunLease,
  advancePhase,
  createRun,
  failRun,
  getRun,
  releaseRunLease,
  sumShardResults,
  type Run,
} from '../adapters/dynamodb/runs.js';
import { addDays, businessDateAt, type BusinessDate } from '../domain/business-date.js';
import { shardKey } from '../domain/sharding.js';
import { groupsPerTier } from '../domain/tier-distribution.js';
import { conflict } from '../http/errors.js';
import { GROUP_SHARDS, ORDER_SHARDS } from '../infra/resources.js';
import { logger, metrics } from '../observability.js';
import { programVersionForRun } from '../program/program-versions.js';
import { enqueueTasks } from './tasks.js';

/** How long a run may hold the lease before another run may take over (a run normally takes minutes). */
const LEASE_SECONDS = 2 * 3600;
/** A run with no shard finished for this long has lost its tasks: asking for its date again resumes it. */
const STALLED_AFTER_MS = 10 * 60 * 1000;

/** The form of every run id `startRun` makes (its as-of date and 8 random hex digits): anything else names no run. */
export const RunId = z.string().regex(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/, 'run ids look like 2026-11-21-1a2b3c4d');

/** The as-of date of the nightly run started at `now`: yesterday in the program time zone (§2.4). */
export function nightlyAsOf(now: Date): BusinessDate {
  return addDays(businessDateAt(now, program.timeZone), -1);
}

/**
 * Starts a recalculation for as-of date D: takes the run lease, records the run and queues one map task
 * per order shard. Asking again for the D that is running answers with that run (and resumes it when it
 * has stalled); another D while a run is in progress is a conflict.
 */
export async function startRun(asOf: BusinessDate, trigger: string, attempt = 1): Promise<{ runId: string; alreadyRunning: boolean }> {
  const runId = `${asOf}-${randomBytes(4).toString('hex')}`;
  const lease = await acquireRunLease(runId, asOf, LEASE_SECONDS);
  if (lease.acquired && lease.lapsed) await failRun(lease.lapsed.runId, `abandoned: its lease lapsed and run ${runId} took over`);
  if (!lease.acquired) {
    const holder = await getRun(lease.holder.runId);
    if (!holder || holder.status !== 'running') {
      // The holder finished (or never got recorded) but its lease was not given back: take it over.
      await releaseRunLease(lease.holder.runId);
      if (attempt < 3) return startRun(asOf, trigger, attempt + 1);
    }
    if (lease.holder.asOf === asOf && holder) {
      if (Date.now() - Date.parse(holder.updatedAt) > STALLED_AFTER_MS) await resumeRun(holder.runId);
      return { runId: holder.runId, alreadyRunning: true };
    }
    throw conflict(`Run ${lease.holder.runId} for ${lease.holder.asOf} is in progress; try again when it has finished`);
  }
  try {
    // Chosen once the lease is held, and recorded: every task of the run applies this one version.
    const { version: programVersion } = await programVersionForRun(asOf);
    await createRun({ runId, asOf, trigger, programVersion, mapShards: ORDER_SHARDS, reduceShards: GROUP_SHARDS });
    await enqueueTasks(runId, 'map', ORDER_SHARDS);
  } catch (error) {
    await failRun(runId, `could not start: ${(error as Error).message}`);
    await releaseRunLease(runId);
    throw error;
  }
  logger.info('recalculation started', { runId, asOf, trigger });
  return { runId, alreadyRunning: false };
}

/**
 * Re-queues the unfinished shards of a run's current phase (after a crash lost tasks, or to go on after
 * an interruption). Shards already done are not queued again; a shard queued twice is harmless.
 */
export async function resumeRun(runId: string): Promise<Run | undefined> {
  const run = await getRun(runId);
  if (!run || run.status !== 'running') return run;
  const pending = (done: string[], count: number) => {
    const finished = new Set(done);
    return new Set(Array.from({ length: count }, (_, i) => shardKey(i)).filter((shard) => !finished.has(shard)));
  };
  if (run.phase === 'map') {
    await enqueueTasks(runId, 'map', run.mapShards, pending(run.mapDone, run.mapShards));
    await afterMapShard(run);
  }
  if (run.phase === 'reduce') {
    await enqueueTasks(runId, 'reduce', run.reduceShards, pending(run.reduceDone, run.reduceShards));
    await afterReduceShard(run);
  }
  logger.info('recalculation resumed', { runId, phase: run.phase });
  return run;
}

/**
 * After a map shard: once every map shard is done, flip the run to its reduce phase (one worker wins) and
 * queue the reduce shards, so no reduce task can arrive before its phase. A crash between the two leaves
 * a quiet run that resuming re-queues.
 */
export async function afterMapShard(run: Run): Promise<void> {
  if (run.phase !== 'map' || run.mapDone.length < run.mapShards) return;
  if (await advancePhase(run.runId, 'map', 'reduce')) await enqueueTasks(run.runId, 'reduce', run.reduceShards);
}

/** After a reduce shard: once every reduce shard is done, total the run and free the lease. */
export async function afterReduceShard(run: Run): Promise<void> {
  if (run.phase !== 'reduce' || run.reduceDone.length < run.reduceShards) return;
  const totals = await sumShardResults(run.runId);
  if (!(await advancePhase(run.runId, 'reduce', 'done', { ...totals, status: 'succeeded' }))) return;
  await releaseRunLease(run.runId);
  metrics.addMetric('RunsCompleted', 'Count', 1);
  metrics.addMetric('TierChanges', 'Count', totals.changed);
  const { tiers, ...counts } = totals;
  logger.info('recalculation succeeded', { runId: run.runId, asOf: run.asOf, ...counts, tiers: groupsPerTier(tiers) });
}
