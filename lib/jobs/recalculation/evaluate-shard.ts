import { queueUrl } from '../../config.js';
import { readShardFloors } from '../../adapters/dynamodb/group-floors.js';
import { readActiveStates, readStates, writeStates } from '../../adapters/dynamodb/group-state.js';
import { putShardResult } from '../../adapters/dynamodb/job-shard-results.js';
import { advanceShardWatermark, shardWatermark } from '../../adapters/dynamodb/shard-watermarks.js';
import { recordTierChanges } from '../../adapters/dynamodb/tier-changes.js';
import { sendAll } from '../../adapters/sqs/client.js';
import { tierChangeMessageBody } from '../../adapters/sqs/tier-change-message.js';
import { asEvaluatedAt, evaluateGroup, type GroupState, type GroupSums, type TierChange } from '../../domain/group-evaluation.js';
import { countGroup, distributionToRecord, type TierDistribution } from '../../domain/tier-distribution.js';
import type { ReduceShardInput, ReduceShardOutput } from '../engine/job-kind.js';
import type { RecalculationContext } from './context.js';

/** Counts a finished run reports (§3.1). */
export interface RunCounts {
  groups: number;
  changed: number;
  up: number;
  down: number;
  skipped: number;
}

/** What a reduce shard (and, totalled, a run) records: its counts and its tier distribution as stored. */
export interface RunResultRecord extends RunCounts {
  /** Every group the run evaluated (a purchase in the window or a paid tier), by the tier it left it in. */
  tiers: ReturnType<typeof distributionToRecord>;
}

/** Whether an evaluation changed anything stored; the as-of date alone is carried by the shard watermark. */
function sameState(a: GroupState, b: GroupState): boolean {
  return (
    a.sum === b.sum &&
    a.qualifyingSum === b.qualifyingSum &&
    a.tierId === b.tierId &&
    a.tierSince === b.tierSince &&
    a.belowRetainSince === b.belowRetainSince &&
    a.changeCount === b.changeCount &&
    a.pending.length === b.pending.length
  );
}

/**
 * Publishes recorded changes to both fan-out queues, then marks them published by clearing the outbox
 * of their groups. A crash in between re-publishes on the next attempt; consumers dedupe by eventId.
 */
async function publishPending(states: GroupState[]): Promise<void> {
  const withPending = states.filter((state) => state.pending.length > 0);
  if (withPending.length === 0) return;
  const bodies = withPending.flatMap((state) => state.pending.map(tierChangeMessageBody));
  await Promise.all([sendAll(queueUrl('tierEmails'), bodies), sendAll(queueUrl('priceListUpdates'), bodies)]);
  await writeStates(withPending.map((state) => ({ ...state, pending: [] })));
}

/**
 * The recalculation's reduce: evaluates by the run's program version every group of one group shard that
 * could have changed (groups with in-window sums or a floor in force, and groups whose last state had a
 * sum, a paid tier or an unpublished change), records tier changes (history, then state with the change in
 * its outbox), counts them and the groups per tier, publishes them and marks them published. It records
 * its counts itself, once the changes are recorded and before they leave the outbox: the first count stands.
 */
export async function evaluateGroupShard({ job, context, shard, groups: sums }: ReduceShardInput<RecalculationContext, GroupSums>): Promise<ReduceShardOutput> {
  const { asOf } = job;
  const { catalog, version } = context;
  const [active, watermark, floors] = await Promise.all([readActiveStates(shard), shardWatermark(shard), readShardFloors(shard)]);
  const floorsInForce = new Map([...floors].filter(([, floor]) => floor.until >= asOf));
  const previous = new Map(active.map((state) => [state.groupId, state]));
  const unseen = [...new Set([...sums.keys(), ...floorsInForce.keys()])].filter((groupId) => !previous.has(groupId));
  for (const state of await readStates(unseen)) previous.set(state.groupId, state);
  const retiredDiscount = (tierId: string) => catalog.tier(tierId, version)?.discountPercent;

  const counts: RunCounts = { groups: 0, changed: 0, up: 0, down: 0, skipped: 0 };
  const tiers: TierDistribution = new Map();
  // Every group of the shard that has a sum or a paid tier, as the run leaves it (skipped ones as they stand),
  // with the discount of its tier in the run's version (a tier the version dropped: as it was last defined).
  const countInTier = (state: GroupState) => countGroup(tiers, state.tierId, state.sum, catalog.tier(state.tierId, version)?.discountPercent ?? 0);
  const changes: TierChange[] = [];
  const toWrite: GroupState[] = [];
  const toPublish: GroupState[] = [];
  const groupIds = new Set([...sums.keys(), ...previous.keys(), ...floorsInForce.keys()]);
  if (watermark && watermark > asOf) {
    // A backfill behind a later run: every group of this shard was evaluated at a later date.
    counts.skipped = groupIds.size;
    groupIds.clear();
    toPublish.push(...previous.values());
    for (const state of previous.values()) countInTier(state);
  }
  for (const groupId of groupIds) {
    // Every group of the shard stands evaluated at the watermark, whatever date its own item last recorded.
    const stored = previous.get(groupId);
    const before = stored && asEvaluatedAt(stored, watermark);
    const evaluation = evaluateGroup({
      groupId,
      sums: sums.get(groupId) ?? { sum: 0n, qualifyingSum: 0n },
      asOf,
      previous: before,
      floor: floorsInForce.get(groupId),
      policy: version.program,
      retiredDiscount,
    });
    if (evaluation.kind === 'skipped') {
      counts.skipped++;
      if (before) {
        toPublish.push(before);
        countInTier(before);
      }
      continue;
    }
    counts.groups++;
    const { state, change } = evaluation;
    countInTier(state);
    if (change) changes.push(change);
    // Changes of this as-of date still in the outbox were recorded by an earlier attempt of this shard.
    for (const recorded of state.pending.filter((pending) => pending.asOf === asOf)) {
      counts.changed++;
      counts[recorded.direction]++;
    }
    if (!before || !sameState(before, state)) toWrite.push(state);
    toPublish.push(state);
  }
  await recordTierChanges(changes);
  await writeStates(toWrite);
  const result: RunResultRecord = { ...counts, tiers: distributionToRecord(tiers) };
  await putShardResult(job.jobId, shard, { result, rowChunks: 0 }, { firstStands: true });
  await publishPending(toPublish);
  await advanceShardWatermark(shard, asOf);
  return {};
}
