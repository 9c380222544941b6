import { releaseRunLease } from '../../adapters/dynamodb/run-lease.js';
import { sweepOwedDeliveries } from '../../delivery/sweep.js';
import { logger, metrics } from '../../observability.js';
import type { JobKind } from '../engine/job-kind.js';
import { recalculationContext, type RecalculationContext } from './context.js';
import { distributionFromRecord, distributionToRecord, groupsPerTier, mergeDistributions } from '../../domain/tier-distribution.js';
import { evaluateGroupShard, noCounts, type NoticeCounts, type RunCounts, type RunResultRecord } from './evaluate-shard.js';
import { groupSumsAggregation } from './group-sums.js';
import type { WindowSums } from '../../domain/group-evaluation.js';

type Counter = Exclude<keyof RunCounts, 'notices'>;

/** The counts (notices included) and tier distributions of every reduce shard, added up. */
function totalResults(results: readonly RunResultRecord[]): RunResultRecord {
  const total = noCounts();
  for (const counts of results) {
    for (const key of Object.keys(total).filter((name) => name !== 'notices') as Counter[]) total[key] += Number(counts[key] ?? 0);
    for (const key of Object.keys(total.notices) as (keyof NoticeCounts)[]) total.notices[key] += Number(counts.notices?.[key] ?? 0);
  }
  return { ...total, tiers: distributionToRecord(mergeDistributions(results.map((result) => distributionFromRecord(result.tiers)))) };
}

/** What the sweep at the end of a run published again; null when the sweep failed (what it missed stays owed). */
export interface RunSweep {
  at: string;
  republished: number;
}

/**
 * Sweeps the delivery ledger at the end of a run: a change or notice lost after an earlier publish is
 * published again. It cannot fail the run: what it misses stays owed for the next sweep.
 */
async function sweepAfterRun(runId: string): Promise<RunSweep | null> {
  try {
    const { republished } = await sweepOwedDeliveries();
    return { at: new Date().toISOString(), republished };
  } catch (error) {
    logger.error('delivery sweep after the run failed; owed deliveries wait for the next sweep', { runId, error: error as Error });
    return null;
  }
}

/**
 * The nightly recalculation (§2.4–2.6, §4.2–4.4) as a job: reads the program window of the run's version,
 * sums each group's real and qualifying purchases (and its qualifying amounts by day, for the outlook),
 * evaluates each group shard and publishes its tier changes and notices, and totals the counts and the
 * groups per tier, then sweeps the delivery ledger (the sweep is in the summary). The only kind that takes the run lease and writes group state.
 */
export const recalculation: JobKind<RecalculationContext, WindowSums> = {
  name: 'recalculation',
  keepsResults: false,
  prepare: recalculationContext,
  window: ({ from, to, multipliers }) => ({ from, to, withLines: multipliers.size > 0 }),
  aggregation: groupSumsAggregation,
  reduce: evaluateGroupShard,
  finish: async ({ job, shards }) => ({
    summary: { ...totalResults(shards.map((shard) => shard.result as RunResultRecord)), sweep: await sweepAfterRun(job.jobId) },
  }),
  afterEnd: async (job, outcome) => {
    await releaseRunLease(job.jobId);
    if (outcome.status !== 'succeeded') return;
    const { tiers, ...counts } = outcome.summary as RunResultRecord & { sweep: RunSweep | null };
    metrics.addMetric('RunsCompleted', 'Count', 1);
    metrics.addMetric('TierChanges', 'Count', counts.changed);
    logger.info('recalculation succeeded', { runId: job.jobId, asOf: job.asOf, ...counts, tiers: groupsPerTier(distributionFromRecord(tiers)) });
  },
};
