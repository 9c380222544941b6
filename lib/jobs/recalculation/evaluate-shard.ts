import { readShardFloors } from '../../adapters/dynamodb/group-floors.js';
import { readActiveStates, readStates, writeStates } from '../../adapters/dynamodb/group-state.js';
import { putShardResult } from '../../adapters/dynamodb/job-shard-results.js';
import { advanceShardWatermark, shardWatermark } from '../../adapters/dynamodb/shard-watermarks.js';
import { recordTierChanges } from '../../adapters/dynamodb/tier-changes.js';
import { recordRunChanges } from '../../adapters/dynamodb/run-changes.js';
import { publishDeliveries } from '../../delivery/publish.js';
import { asEvaluatedAt, evaluateGroup, recordNotices, type GroupState, type TierChange, type WindowSums } from '../../domain/group-evaluation.js';
import { NOTICE_KINDS, type NoticeKind } from '../../domain/notices.js';
import type { Outlook } from '../../domain/outlook.js';
import { countGroup, distributionToRecord, type TierDistribution } from '../../domain/tier-distribution.js';
import { labelGroups } from '../../use-cases/group-directory.js';
import type { ReduceShardInput, ReduceShardOutput } from '../engine/job-kind.js';
import type { RecalculationContext } from './context.js';

/** The notices a run recorded (at risk, near the next tier) and those it could not send for want of contacts (§4.4). */
export interface NoticeCounts {
  atRisk: number;
  nearNextTier: number;
  noContacts: number;
}

/** Counts a finished run reports (§3.1, §4.4). */
export interface RunCounts {
  groups: number;
  changed: number;
  up: number;
  down: number;
  skipped: number;
  notices: NoticeCounts;
}

/** What a reduce shard (and, totalled, a run) records: its counts and its tier distribution as stored. */
export interface RunResultRecord extends RunCounts {
  /** Every group the run evaluated (a purchase in the window or a paid tier), by the tier it left it in. */
  tiers: ReturnType<typeof distributionToRecord>;
}

/** The counts of a run that has counted nothing yet. */
export function noCounts(): RunCounts {
  return { groups: 0, changed: 0, up: 0, down: 0, skipped: 0, notices: { atRisk: 0, nearNextTier: 0, noContacts: 0 } };
}

const NOTICE_COUNTER: Record<NoticeKind, keyof NoticeCounts> = { 'at-risk': 'atRisk', 'near-next-tier': 'nearNextTier' };

const sameOutlook = (a: Outlook, b: Outlook) =>
  a.holdsUntil === b.holdsUntil && a.toKeep === b.toKeep && a.belowRetainSince === b.belowRetainSince && a.downgradeOn === b.downgradeOn && a.downgradeTo === b.downgradeTo;

/** Whether an evaluation changed anything stored; the as-of date alone is carried by the shard watermark. */
function sameState(a: GroupState, b: GroupState): boolean {
  return (
    a.sum === b.sum &&
    a.qualifyingSum === b.qualifyingSum &&
    a.tierId === b.tierId &&
    a.tierSince === b.tierSince &&
    a.belowRetainSince === b.belowRetainSince &&
    a.changeCount === b.changeCount &&
    a.pending.length === b.pending.length &&
    sameOutlook(a.outlook, b.outlook) &&
    a.pendingNotices.length === b.pendingNotices.length &&
    NOTICE_KINDS.every((kind) => a.noticedOn[kind] === b.noticedOn[kind])
  );
}

/**
 * Publishes recorded changes to both fan-out queues and recorded notices to the email queue, through the
 * delivery ledger (each stays owed until its consumers have recorded it); returns the states it published
 * from, for `markPublished`. A crash before their outboxes are cleared re-publishes on the next attempt;
 * consumers dedupe by eventId.
 */
async function publishPending(states: GroupState[]): Promise<GroupState[]> {
  const withPending = states.filter((state) => state.pending.length > 0 || state.pendingNotices.length > 0);
  if (withPending.length === 0) return [];
  await publishDeliveries(
    withPending.flatMap((state) => state.pending),
    withPending.flatMap((state) => state.pendingNotices),
  );
  return withPending;
}

/** Marks published changes and notices so by clearing the outboxes of their groups. */
async function markPublished(published: GroupState[]): Promise<void> {
  await writeStates(published.map((state) => ({ ...state, pending: [], pendingNotices: [] })));
}

/**
 * The recalculation's reduce: evaluates by the run's program version every group of one group shard that
 * could have changed (groups with in-window sums or a floor in force, and groups whose last state had a
 * sum, a paid tier or an unpublished change or notice), projecting each one's outlook from its sums by day.
 * Records tier changes (history, then state with the change in its outbox) and the notices due to groups
 * with contacts (in the state's notice outbox; those without contacts are counted, not sent), counts
 * them and the groups per tier, lists the changes under the run (its report), publishes them and marks them published. It records its counts itself,
 * once the changes and notices are recorded and before they leave the outboxes: the first count stands.
 */
export async function evaluateGroupShard({ job, context, shard, groups }: ReduceShardInput<RecalculationContext, WindowSums>): Promise<ReduceShardOutput> {
  const { asOf } = job;
  const { catalog, version } = context;
  const [active, watermark, floors, sums] = await Promise.all([readActiveStates(shard), shardWatermark(shard), readShardFloors(shard), groups]);
  const floorsInForce = new Map([...floors].filter(([, floor]) => floor.until >= asOf));
  const previous = new Map(active.map((state) => [state.groupId, state]));
  const unseen = [...new Set([...sums.keys(), ...floorsInForce.keys()])].filter((groupId) => !previous.has(groupId));
  for (const state of await readStates(unseen)) previous.set(state.groupId, state);
  const retiredDiscount = (tierId: string) => catalog.tier(tierId, version)?.discountPercent;

  const counts = noCounts();
  const tiers: TierDistribution = new Map();
  // Every group of the shard that has a sum or a paid tier, as the run leaves it (skipped ones as they stand),
  // with the discount of its tier in the run's version (a tier the version dropped: as it was last defined).
  const countInTier = (state: GroupState) => countGroup(tiers, state.tierId, state.sum, catalog.tier(state.tierId, version)?.discountPercent ?? 0);
  const changes: TierChange[] = [];
  const evaluated: { before: GroupState | undefined; state: GroupState; due: NoticeKind[] }[] = [];
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
      sums: sums.get(groupId) ?? { sum: 0n, qualifyingSum: 0n, days: [] },
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
    countInTier(evaluation.state);
    if (evaluation.change) changes.push(evaluation.change);
    evaluated.push({ before, state: evaluation.state, due: evaluation.dueNotices });
  }

  // Notices go only to groups someone can read them: the contacts of the few groups due one, in batches,
  // read while the changes go into the history (which must hold them before any state records them).
  const [labels] = await Promise.all([labelGroups(evaluated.filter(({ due }) => due.length > 0).map(({ state }) => state.groupId)), recordTierChanges(changes)]);
  const toWrite: GroupState[] = [];
  const runChanges: TierChange[] = [];
  for (const { before, state: evaluatedState, due } of evaluated) {
    const reachable = (labels.get(evaluatedState.groupId)?.contacts.length ?? 0) > 0;
    if (!reachable) counts.notices.noContacts += due.length;
    const state = reachable ? recordNotices(evaluatedState, due, version.program, asOf) : evaluatedState;
    // Changes and notices of this as-of date still in an outbox were recorded by an earlier attempt of this shard.
    for (const recorded of state.pending.filter((pending) => pending.asOf === asOf)) {
      counts.changed++;
      counts[recorded.direction]++;
      runChanges.push(recorded);
    }
    for (const notice of state.pendingNotices.filter((pending) => pending.asOf === asOf)) counts.notices[NOTICE_COUNTER[notice.kind]]++;
    if (!before || !sameState(before, state)) toWrite.push(state);
    toPublish.push(state);
  }
  await writeStates(toWrite);
  // Once the states hold them, independent of each other: the run's report of its changes, its counts, the
  // shard's watermark and the publishing; the outboxes are cleared only when all of them are recorded.
  const result: RunResultRecord = { ...counts, tiers: distributionToRecord(tiers) };
  const [published] = await Promise.all([
    publishPending(toPublish),
    recordRunChanges(job.jobId, runChanges),
    putShardResult(job.jobId, shard, { result, rowChunks: 0 }, { firstStands: true }),
    advanceShardWatermark(shard, asOf),
  ]);
  await markPublished(published);
  return {};
}
