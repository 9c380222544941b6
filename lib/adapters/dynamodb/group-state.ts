import { GetCommand, ScanCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import type { BusinessDate } from '../../domain/business-date.js';
import { program, tableName } from '../../config.js';
import { isActive, type GroupState, type TierChange } from '../../domain/group-evaluation.js';
import type { Notice } from '../../domain/notices.js';
import type { Outlook } from '../../domain/outlook.js';
import { shardOf } from '../../domain/sharding.js';
import type { TierStanding } from '../../domain/tier-policy.js';
import { GROUP_SHARDS } from '../../infra/resources.js';
import { mapWithConcurrency } from '../../concurrency.js';
import { batchGetAll, batchPutAll } from './batch.js';
import { dynamo } from './client.js';
import { updateIfConditionHolds } from './conditional.js';
import { queryAll } from './query.js';

type Item = Record<string, NativeAttributeValue>;

/** A tier change as stored and as sent on the queues (money as a minor-units string). */
export function tierChangeToItem(change: TierChange): Item {
  return { ...change, sum: change.sum.toString(), qualifyingSum: change.qualifyingSum.toString() };
}

/** Reads a stored or queued tier change back into the domain type. */
export function tierChangeFromItem(item: Item): TierChange {
  return {
    eventId: item.eventId,
    groupId: item.groupId,
    asOf: item.asOf,
    from: item.from,
    to: item.to,
    direction: item.direction,
    sum: BigInt(item.sum),
    // Changes recorded before focus brands and reasons existed were decided by the real sum.
    qualifyingSum: BigInt(item.qualifyingSum ?? item.sum),
    reason: item.reason ?? 'sum',
    seq: Number(item.seq),
  };
}

const minorOrNull = (text: string | null | undefined) => (text === null || text === undefined ? null : BigInt(text));

/** An outlook as stored and queued: absent fields are null, money a minor-units string. */
function outlookToItem(outlook: Outlook): Item {
  return Object.fromEntries(Object.entries({ ...outlook, toKeep: outlook.toKeep?.toString() }).filter(([, value]) => value !== null && value !== undefined));
}

function outlookFromItem(item: Item): Outlook {
  return {
    holdsUntil: item.holdsUntil ?? null,
    toKeep: minorOrNull(item.toKeep),
    belowRetainSince: item.belowRetainSince ?? null,
    downgradeOn: item.downgradeOn ?? null,
    downgradeTo: item.downgradeTo ?? null,
  };
}

/** A notice as stored in the outbox and as sent on the email queue (money as minor-units strings). */
export function noticeToItem(notice: Notice): Item {
  const common = { ...notice, sum: notice.sum.toString(), qualifyingSum: notice.qualifyingSum.toString() };
  if (notice.kind === 'at-risk') return { ...common, outlook: outlookToItem(notice.outlook) };
  const { id, threshold, remaining } = notice.nextTier;
  return { ...common, nextTier: { id, threshold: threshold.toString(), remaining: remaining.toString() } };
}

/** Reads a stored or queued notice back into the domain type. */
export function noticeFromItem(item: Item): Notice {
  const common = { eventId: item.eventId, groupId: item.groupId, asOf: item.asOf, tierId: item.tierId, sum: BigInt(item.sum), qualifyingSum: BigInt(item.qualifyingSum) };
  if (item.kind === 'at-risk') return { ...common, kind: 'at-risk', outlook: outlookFromItem(item.outlook) };
  const next = item.nextTier as Item;
  return { ...common, kind: 'near-next-tier', nextTier: { id: next.id, threshold: BigInt(next.threshold), remaining: BigInt(next.remaining) } };
}

/** Stored as `prior` when the group had no state before its last evaluation. */
const NO_PRIOR = 'none';

function standingToItem(standing: TierStanding): Item {
  return { tierId: standing.tierId, tierSince: standing.tierSince, belowRetainSince: standing.belowRetainSince ?? undefined };
}

function standingFromItem(item: Item): TierStanding {
  return { tierId: item.tierId, tierSince: item.tierSince, belowRetainSince: item.belowRetainSince ?? null };
}

/** The stored form of a group state; `activeShard` only when the group is active (sparse index). */
export function groupStateToItem(state: GroupState): Item {
  const baseTierId = program.tiers[0]!.id;
  return {
    groupId: state.groupId,
    sum: state.sum.toString(),
    qualifyingSum: state.qualifyingSum === state.sum ? undefined : state.qualifyingSum.toString(),
    tierId: state.tierId,
    tierSince: state.tierSince,
    belowRetainSince: state.belowRetainSince ?? undefined,
    appliedAsOf: state.appliedAsOf,
    prior: state.prior === undefined ? undefined : state.prior === null ? NO_PRIOR : standingToItem(state.prior),
    changeCount: state.changeCount,
    pending: state.pending.map(tierChangeToItem),
    // The outlook's own fields (its belowRetainSince is the state's); nothing at all in the base tier.
    outlook: state.outlook.downgradeOn === null ? undefined : outlookToItem({ ...state.outlook, belowRetainSince: null }),
    noticedOn: Object.keys(state.noticedOn).length === 0 ? undefined : state.noticedOn,
    pendingNotices: state.pendingNotices.length === 0 ? undefined : state.pendingNotices.map(noticeToItem),
    activeShard: isActive(state, baseTierId) ? shardOf(state.groupId, GROUP_SHARDS) : undefined,
  };
}

/** Reads a stored group state back into the domain type. */
export function groupStateFromItem(item: Item): GroupState {
  return {
    groupId: item.groupId,
    sum: BigInt(item.sum),
    qualifyingSum: BigInt(item.qualifyingSum ?? item.sum),
    tierId: item.tierId,
    tierSince: item.tierSince,
    belowRetainSince: item.belowRetainSince ?? null,
    appliedAsOf: item.appliedAsOf,
    prior: item.prior === undefined ? undefined : item.prior === NO_PRIOR ? null : standingFromItem(item.prior as Item),
    changeCount: Number(item.changeCount),
    pending: ((item.pending ?? []) as Item[]).map(tierChangeFromItem),
    // A state written before outlooks were kept reads as having none until its next evaluation.
    outlook: outlookFromItem({ ...(item.outlook ?? {}), belowRetainSince: item.belowRetainSince }),
    noticedOn: item.noticedOn ?? {},
    pendingNotices: ((item.pendingNotices ?? []) as Item[]).map(noticeFromItem),
  };
}

/** A group's program state, if any run has evaluated it. */
export async function getGroupState(groupId: string): Promise<GroupState | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('groupState'), Key: { groupId } }));
  return Item ? groupStateFromItem(Item) : undefined;
}

/** Every active group state of a shard (sum, paid tier or unpublished change), read in large pages. */
export async function readActiveStates(shard: string): Promise<GroupState[]> {
  const items = await queryAll({
    TableName: tableName('groupState'),
    IndexName: 'activeByShard',
    KeyConditionExpression: 'activeShard = :shard',
    ExpressionAttributeValues: { ':shard': shard },
  });
  return items.map(groupStateFromItem);
}

/** The stored states of the given groups (those never evaluated are absent). */
export async function readStates(groupIds: readonly string[]): Promise<GroupState[]> {
  const items = await batchGetAll(tableName('groupState'), groupIds.map((groupId) => ({ groupId })));
  return items.map(groupStateFromItem);
}

/**
 * Writes group states in batches. Only the worker of a run that holds the run lease writes a shard's
 * states, so unconditional batch writes cannot race another run.
 */
export async function writeStates(states: readonly GroupState[]): Promise<void> {
  await batchPutAll(tableName('groupState'), states.map(groupStateToItem));
}

/** Segments of the parallel scan that finds groups evaluated after a date (a repair, not a nightly path). */
const SCAN_SEGMENTS = 4;

/** The ids of every group whose stored state was evaluated at a date after `asOf` (a full parallel scan). */
export async function groupsAppliedAfter(asOf: BusinessDate): Promise<string[]> {
  const found = await mapWithConcurrency(Array.from({ length: SCAN_SEGMENTS }, (_, segment) => segment), SCAN_SEGMENTS, async (segment) => {
    const ids: string[] = [];
    let startKey: Item | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({
          TableName: tableName('groupState'),
          Segment: segment,
          TotalSegments: SCAN_SEGMENTS,
          FilterExpression: 'appliedAsOf > :asOf',
          ProjectionExpression: 'groupId',
          ExpressionAttributeValues: { ':asOf': asOf },
          ExclusiveStartKey: startKey,
        }),
      );
      ids.push(...(page.Items ?? []).map((item) => item.groupId as string));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  });
  return found.flat();
}

/**
 * Sets a group's applied date back to `asOf` if it is later, leaving its tier and sum as they are, so the
 * next run after `asOf` evaluates it again from the tier it stands in; true when it moved.
 */
export async function rewindAppliedAsOf(groupId: string, asOf: BusinessDate): Promise<boolean> {
  const updated = await updateIfConditionHolds({
    TableName: tableName('groupState'),
    Key: { groupId },
    UpdateExpression: 'SET appliedAsOf = :asOf',
    ConditionExpression: 'appliedAsOf > :asOf',
    ExpressionAttributeValues: { ':asOf': asOf },
  });
  return updated !== undefined;
}
