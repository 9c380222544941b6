import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { program } from '../config.js';
import {
  acquireRunLease,
  advancePhase,
  createRun,
  failRun,
  getRun,
  leaseHolder,
  recordRunSweep,
  releaseRunLease,
  sumShardResults,
  type Run,
} from '../adapters/dynamodb/runs.js';
import { addDays, businessDateAt, type BusinessDate } from '../domain/business-date.js';
import { shardKey } from '../domain/sharding.js';
import { groupsPerTier } from '../domain/tier-distribution.js';
import { sweepOwedDeliveries } from '../delivery/sweep.js';
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
    const stalled = holder?.status === 'running' && Date.now() - Date.parse(holder.updatedAt) > STALLED_AFTER_MS;
    if (stalled) await resumeRun(holder.runId);
    if (lease.holder.asOf === asOf && holder) return { runId: holder.runId, alreadyRunning: true };
    throw conflict(
      `Run ${lease.holder.runId} for ${lease.holder.asOf} is in progress${stalled ? ' (it had stalled and was resumed just now)' : ''}; ` +
        `try again when it has finished (a stuck run resumes at once with POST /admin/runs/${lease.holder.runId}/resume)`,
    );
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
 * Re-queues the unfinished shards of a running run's current phase at once (after a crash lost tasks, or
 * to go on after an interruption); safe while tasks are still in flight, since a shard done twice changes
 * nothing. When every shard of the phase is done but the run did not move on (the last worker died just
 * before), one task of a finished shard is queued: the worker that gets it moves the run on.
 */
export async function resumeRun(runId: string): Promise<{ run: Run | undefined; requeued: number }> {
  const run = await getRun(runId);
  if (!run || run.status !== 'running' || run.phase === 'done') return { run, requeued: 0 };
  const [phase, done, count] = run.phase === 'map' ? (['map', run.mapDone, run.mapShards] as const) : (['reduce', run.reduceDone, run.reduceShards] as const);
  const finished = new Set(done);
  const unfinished = new Set(Array.from({ length: count }, (_, i) => shardKey(i)).filter((shard) => !finished.has(shard)));
  const requeued = await enqueueTasks(runId, phase, count, unfinished.size > 0 ? unfinished : new Set([shardKey(0)]));
  logger.info('recalculation resumed', { runId, phase, requeued });
  return { run, requeued };
}

/**
 * Resumes the run that holds the lease, if it is still running: what a restarted local stack does, since
 * its in-memory queue lost the run's tasks.
 */
export async function resumeUnfinishedRun(): Promise<{ run: Run; requeued: number } | undefined> {
  const holder = await leaseHolder();
  if (!holder) return undefined;
  const { run, requeued } = await resumeRun(holder.runId);
  return run && run.status === 'running' ? { run, requeued } : undefined;
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

/**
 * After a reduce shard: once every reduce shard is done, total the run, free the lease, then sweep the
 * delivery ledger (a change lost after an earlier publish is published again). The sweep cannot fail the
 * run: what it misses stays owed for the next sweep.
 */
export async function afterReduceShard(run: Run): Promise<void> {
  if (run.phase !== 'reduce' || run.reduceDone.length < run.reduceShards) return;
  const totals = await sumShardResults(run.runId);
  if (!(await advancePhase(run.runId, 'reduce', 'done', { ...totals, status: 'succeeded' }))) return;
  await releaseRunLease(run.runId);
  metrics.addMetric('RunsCompleted', 'Count', 1);
  metrics.addMetric('TierChanges', 'Count', totals.changed);
  const { tiers, ...counts } = totals;
  logger.info('recalculation succeeded', { runId: run.runId, asOf: run.asOf, ...counts, tiers: groupsPerTier(tiers) });
  try {
    const sweep = await sweepOwedDeliveries();
    await recordRunSweep(run.runId, { at: new Date().toISOString(), republished: sweep.republished });
  } catch (error) {
    logger.error('delivery sweep after the run failed; owed deliveries wait for the next sweep', { runId: run.runId, error: error as Error });
  }
}
