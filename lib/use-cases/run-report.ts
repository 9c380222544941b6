import { program } from '../config.js';
import type { Run } from '../adapters/dynamodb/runs.js';
import type { TierChange } from '../domain/group-evaluation.js';
import { formatMinor } from '../domain/money.js';
import { orderedDistribution } from '../domain/tier-distribution.js';

/** Seconds between two instants, to a tenth; null while the later one is not known. */
function secondsBetween(from: string | undefined, to: string | undefined): number | null {
  if (!from || !to) return null;
  return Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10;
}

/**
 * A run as the admin API reports it (§3.1 and the run report): status and counts, shard progress, when each
 * phase started and finished and how long it took, the groups per tier after the run (tiers of the program
 * in order; groups with a purchase in the window or a paid tier), and what its closing sweep published again.
 */
export function runReport(run: Run) {
  const { runId, asOf, status, programVersion, groups, changed, up, down, skipped, phase, startedAt, mapFinishedAt, finishedAt, error } = run;
  const reduceFinishedAt = phase === 'done' ? finishedAt : undefined;
  return {
    runId,
    asOf,
    status,
    programVersion: programVersion ?? null,
    groups,
    changed,
    up,
    down,
    skipped,
    trigger: run.trigger,
    progress: { phase, mapShardsDone: run.mapDone.length, mapShards: run.mapShards, reduceShardsDone: run.reduceDone.length, reduceShards: run.reduceShards },
    startedAt,
    finishedAt: finishedAt ?? null,
    durationSeconds: secondsBetween(startedAt, finishedAt),
    phases: {
      map: { startedAt, finishedAt: mapFinishedAt ?? null, seconds: secondsBetween(startedAt, mapFinishedAt) },
      reduce: { startedAt: mapFinishedAt ?? null, finishedAt: reduceFinishedAt ?? null, seconds: secondsBetween(mapFinishedAt, reduceFinishedAt) },
    },
    tiers: run.tiers
      ? orderedDistribution(run.tiers, program.tiers.map((tier) => tier.id)).map(({ tierId, tally }) => ({ id: tierId, groups: tally.groups, sum90d: formatMinor(tally.sum) }))
      : null,
    deliveriesRepublished: run.sweep?.republished ?? null,
    ...(error ? { error } : {}),
  };
}

/** A run's tier change as its report lists it (money as decimal strings; the qualifying sum decided the tier). */
export function runChangeRow(change: TierChange) {
  const { eventId, groupId, asOf, from, to, direction, sum, qualifyingSum, reason } = change;
  return { groupId, from, to, direction, sum90d: formatMinor(sum), qualifyingSum90d: formatMinor(qualifyingSum), reason, asOf, eventId };
}

/** The CSV columns of a run's changes, in order. */
export const RUN_CHANGE_COLUMNS = ['groupId', 'from', 'to', 'direction', 'sum90d', 'qualifyingSum90d', 'reason', 'asOf', 'eventId'] as const;
