import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import type { GroupSums } from '../../domain/group-evaluation.js';
import { shardKey } from '../../domain/sharding.js';
import { distributionFromRecord, distributionToRecord, mergeDistributions, type TierDistribution } from '../../domain/tier-distribution.js';
import { GROUP_SHARDS } from '../../infra/resources.js';
import { batchGetAll, batchPutAll } from './batch.js';
import { dynamo } from './client.js';
import { updateIfConditionHolds } from './conditional.js';
import { queryAll } from './query.js';

/** Key of the item that remembers the newest as-of date a group shard has been evaluated at. */
const watermarkKey = (groupShard: string) => ({ pk: 'watermark', sk: groupShard });
/** Key of the lease that lets one run at a time own the group state. */
const LEASE_KEY = { pk: 'lease', sk: 'lease' } as const;
/** Run bookkeeping (partials, shard results) expires after this long in AWS. */
const RUN_DATA_TTL_SECONDS = 30 * 24 * 3600;

export type RunPhase = 'map' | 'reduce' | 'done';
export type RunStatus = 'running' | 'succeeded' | 'failed';

/** Counts a finished run reports (§3.1). */
export interface RunCounts {
  groups: number;
  changed: number;
  up: number;
  down: number;
  skipped: number;
}

/** What a finished reduce shard (and, totalled, a finished run) reports. */
export interface RunResult extends RunCounts {
  /** Every group the run evaluated (a purchase in the window or a paid tier), by the tier it left it in. */
  tiers: TierDistribution;
}

/** What the sweep at the end of a run published again. */
export interface RunSweep {
  at: string;
  republished: number;
}

export interface Run extends RunCounts {
  runId: string;
  asOf: BusinessDate;
  status: RunStatus;
  phase: RunPhase;
  trigger: string;
  /** The program version the whole run applies, chosen when it started; absent on runs started before versions. */
  programVersion?: number;
  mapShards: number;
  reduceShards: number;
  mapDone: string[];
  reduceDone: string[];
  startedAt: string;
  /** When a shard last finished (or the run started): a long-quiet run has lost its tasks. */
  updatedAt: string;
  /** When the last map shard finished and the reduce phase began. */
  mapFinishedAt?: string;
  finishedAt?: string;
  error?: string;
  /** Set when the run succeeded (runs finished before distributions were recorded have none). */
  tiers?: TierDistribution;
  sweep?: RunSweep;
}

/** The partition of a run's items: the run itself and everything it records along the way. */
export const runPartitionKey = (runId: string) => `run#${runId}`;
const runKey = (runId: string) => ({ pk: runPartitionKey(runId), sk: 'run' });
/** The `kind` under which run items are listed (the byKindStarted index). */
const RUN_KIND = 'run';
/** Attributes that put a run item in the sparse `byKindStarted` index, ordered by start time. */
const runListing = (runId: string, startedAt: string) => ({ kind: RUN_KIND, startedKey: `${startedAt}#${runId}` });
/** When a run's bookkeeping expires in AWS (local servers keep it). */
export const runDataExpiresAt = () => Math.floor(Date.now() / 1000) + RUN_DATA_TTL_SECONDS;
const expiresAt = runDataExpiresAt;

function runFromItem(item: Record<string, NativeAttributeValue>): Run {
  return {
    runId: item.runId,
    asOf: item.asOf,
    status: item.status,
    phase: item.phase,
    trigger: item.trigger,
    programVersion: item.programVersion,
    mapShards: item.mapShards,
    reduceShards: item.reduceShards,
    mapDone: [...((item.mapDone as Set<string> | undefined) ?? [])].sort(),
    reduceDone: [...((item.reduceDone as Set<string> | undefined) ?? [])].sort(),
    startedAt: item.startedAt,
    updatedAt: item.updatedAt ?? item.startedAt,
    mapFinishedAt: item.mapFinishedAt,
    finishedAt: item.finishedAt,
    sweep: item.sweep,
    error: item.error,
    groups: item.groups ?? 0,
    changed: item.changed ?? 0,
    up: item.up ?? 0,
    down: item.down ?? 0,
    skipped: item.skipped ?? 0,
    ...(item.tiers ? { tiers: distributionFromRecord(item.tiers) } : {}),
  };
}

/**
 * The newest as-of date at which a run evaluated a group shard, or null if none has. Every group of the
 * shard stands evaluated at that date: a run rewrites only the groups that changed.
 */
export async function shardWatermark(groupShard: string): Promise<BusinessDate | null> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('runs'), Key: watermarkKey(groupShard), ConsistentRead: true }));
  return (Item?.asOf as BusinessDate | undefined) ?? null;
}

/**
 * Moves a group shard's watermark back to `asOf` if it is later (the repair of a run at a wrong date);
 * true when it moved.
 */
export async function rewindShardWatermark(groupShard: string, asOf: BusinessDate): Promise<boolean> {
  const updated = await updateIfConditionHolds({
    TableName: tableName('runs'),
    Key: watermarkKey(groupShard),
    UpdateExpression: 'SET asOf = :asOf',
    ConditionExpression: 'asOf > :asOf',
    ExpressionAttributeValues: { ':asOf': asOf },
  });
  return updated !== undefined;
}

/** Moves a group shard's watermark forward to `asOf` (never back: a backfill does not undo a later run). */
export async function advanceShardWatermark(groupShard: string, asOf: BusinessDate): Promise<void> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName('runs'),
        Item: { ...watermarkKey(groupShard), asOf },
        ConditionExpression: 'attribute_not_exists(pk) OR asOf < :asOf',
        ExpressionAttributeValues: { ':asOf': asOf },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * The latest as-of date a run has evaluated groups at (the newest shard watermark) or is evaluating now
 * (the holder of a live lease), or null before any run: history up to it is not to be rewritten.
 */
export async function latestRunAsOf(): Promise<BusinessDate | null> {
  const keys = [...Array.from({ length: GROUP_SHARDS }, (_, i) => watermarkKey(shardKey(i))), LEASE_KEY];
  const items = await batchGetAll(tableName('runs'), keys, { expression: '#pk, asOf, leaseUntil', names: { '#pk': 'pk' } });
  const now = Math.floor(Date.now() / 1000);
  const dates = items.filter((item) => item.pk !== LEASE_KEY.pk || Number(item.leaseUntil) > now).map((item) => item.asOf as BusinessDate);
  return dates.sort().pop() ?? null;
}

/**
 * Takes the run lease for a new run, or reports the run that holds it. One run at a time owns the group
 * state, so shard workers may write it with batch writes; an abandoned lease lapses after `leaseSeconds`.
 */
export async function acquireRunLease(
  runId: string,
  asOf: BusinessDate,
  leaseSeconds: number,
): Promise<{ acquired: true; lapsed?: { runId: string } } | { acquired: false; holder: { runId: string; asOf: BusinessDate } }> {
  const now = Math.floor(Date.now() / 1000);
  try {
    const { Attributes } = await dynamo.send(
      new PutCommand({
        TableName: tableName('runs'),
        Item: { ...LEASE_KEY, runId, asOf, leaseUntil: now + leaseSeconds },
        ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now',
        ExpressionAttributeValues: { ':now': now },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes?.runId ? { acquired: true, lapsed: { runId: Attributes.runId } } : { acquired: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('runs'), Key: LEASE_KEY, ConsistentRead: true }));
    if (!Item) return acquireRunLease(runId, asOf, leaseSeconds);
    return { acquired: false, holder: { runId: Item.runId, asOf: Item.asOf } };
  }
}

/** The run that holds the lease now, if any (whether or not its lease has lapsed). */
export async function leaseHolder(): Promise<{ runId: string; asOf: BusinessDate } | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('runs'), Key: LEASE_KEY, ConsistentRead: true }));
  return Item ? { runId: Item.runId, asOf: Item.asOf } : undefined;
}

/** Gives the lease back when the run that holds it has finished. */
export async function releaseRunLease(runId: string): Promise<void> {
  try {
    await dynamo.send(
      new DeleteCommand({
        TableName: tableName('runs'),
        Key: LEASE_KEY,
        ConditionExpression: 'runId = :runId',
        ExpressionAttributeValues: { ':runId': runId },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Records a new run in its map phase. */
export async function createRun(run: Pick<Run, 'runId' | 'asOf' | 'trigger' | 'programVersion' | 'mapShards' | 'reduceShards'>): Promise<void> {
  const startedAt = new Date().toISOString();
  await dynamo.send(
    new PutCommand({
      TableName: tableName('runs'),
      Item: { ...runKey(run.runId), ...run, ...runListing(run.runId, startedAt), status: 'running', phase: 'map', startedAt, expiresAt: expiresAt() },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** A run by id (strongly consistent: workers decide on it). */
export async function getRun(runId: string): Promise<Run | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('runs'), Key: runKey(runId), ConsistentRead: true }));
  return Item ? runFromItem(Item) : undefined;
}

/** Marks one shard of a phase done (idempotent: a set) and returns the run as it now stands. */
export async function markShardDone(runId: string, phase: 'map' | 'reduce', shard: string): Promise<Run> {
  const attribute = phase === 'map' ? 'mapDone' : 'reduceDone';
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: tableName('runs'),
      Key: runKey(runId),
      UpdateExpression: `ADD #done :shard SET updatedAt = :now`,
      ExpressionAttributeNames: { '#done': attribute },
      ExpressionAttributeValues: { ':shard': new Set([shard]), ':now': new Date().toISOString() },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return runFromItem(Attributes!);
}

/**
 * Moves a run from one phase to the next, stamping when the phase it leaves finished; false when another
 * worker already did.
 */
export async function advancePhase(runId: string, from: RunPhase, to: RunPhase, extra: Partial<RunResult> & { status?: RunStatus } = {}): Promise<boolean> {
  const { tiers, ...rest } = extra;
  const now = new Date().toISOString();
  const stored = {
    ...rest,
    tiers: tiers ? distributionToRecord(tiers) : undefined,
    mapFinishedAt: to === 'reduce' ? now : undefined,
    finishedAt: to === 'done' ? now : undefined,
  };
  const sets = Object.entries(stored).filter(([, value]) => value !== undefined);
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName('runs'),
        Key: runKey(runId),
        UpdateExpression: `SET phase = :to${sets.map(([name]) => `, #${name} = :${name}`).join('')}`,
        ConditionExpression: 'phase = :from AND #status = :running',
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(sets.map(([name]) => [`#${name}`, name])) },
        ExpressionAttributeValues: { ':from': from, ':to': to, ':running': 'running', ...Object.fromEntries(sets.map(([name, value]) => [`:${name}`, value])) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Records what the sweep at the end of a run published again. */
export async function recordRunSweep(runId: string, sweep: RunSweep): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName('runs'),
      Key: runKey(runId),
      UpdateExpression: 'SET sweep = :sweep',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':sweep': sweep },
    }),
  );
}

/** Marks a running run failed with the reason (a shard exhausted its retries). */
export async function failRun(runId: string, reason: string): Promise<void> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName('runs'),
        Key: runKey(runId),
        UpdateExpression: 'SET #status = :failed, #error = :reason, finishedAt = :now',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':failed': 'failed', ':running': 'running', ':reason': reason.slice(0, 1000), ':now': new Date().toISOString() },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Partial group sums a map shard found, bucketed by the reduce shard that owns each group. */
export async function putPartialSums(runId: string, mapShard: string, byReduceShard: Map<string, Map<string, GroupSums>>): Promise<void> {
  const items = [...byReduceShard].map(([reduceShard, sums]) => ({
    pk: runPartitionKey(runId),
    sk: `part#${reduceShard}#${mapShard}`,
    // One string attribute, not a map: a map of thousands of entries costs far more to (un)marshal and validate.
    sums: JSON.stringify(Object.fromEntries([...sums].map(([groupId, { sum }]) => [groupId, sum.toString()]))),
    // Qualifying sums only where focus brands made them differ from the real sum.
    qualifying: JSON.stringify(
      Object.fromEntries([...sums].filter(([, group]) => group.qualifyingSum !== group.sum).map(([groupId, group]) => [groupId, group.qualifyingSum.toString()])),
    ),
    expiresAt: expiresAt(),
  }));
  await batchPutAll(tableName('runs'), items);
}

/** Every partial sum written for one reduce shard, merged per group. */
export async function readPartialSums(runId: string, reduceShard: string): Promise<Map<string, GroupSums>> {
  const merged = new Map<string, GroupSums>();
  for (const item of await runItems(runId, `part#${reduceShard}#`)) {
    const qualifying = JSON.parse((item.qualifying as string | undefined) ?? '{}') as Record<string, string>;
    for (const [groupId, text] of Object.entries(JSON.parse(item.sums as string) as Record<string, string>)) {
      const sum = BigInt(text);
      const qualifyingSum = qualifying[groupId] === undefined ? sum : BigInt(qualifying[groupId]);
      const group = merged.get(groupId);
      if (group) {
        group.sum += sum;
        group.qualifyingSum += qualifyingSum;
      } else {
        merged.set(groupId, { sum, qualifyingSum });
      }
    }
  }
  return merged;
}

/**
 * Records what one reduce shard did. The first record stands: a retried shard finds its changes already
 * applied and would count fewer.
 */
export async function putShardResult(runId: string, reduceShard: string, { tiers, ...counts }: RunResult): Promise<void> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName('runs'),
        Item: { pk: runPartitionKey(runId), sk: `result#${reduceShard}`, ...counts, tiers: distributionToRecord(tiers), expiresAt: expiresAt() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** The totals of every reduce shard of a run, with its tier distribution. */
export async function sumShardResults(runId: string): Promise<RunResult> {
  const total: RunCounts = { groups: 0, changed: 0, up: 0, down: 0, skipped: 0 };
  const parts: TierDistribution[] = [];
  for (const item of await runItems(runId, 'result#')) {
    for (const key of Object.keys(total) as (keyof RunCounts)[]) total[key] += Number(item[key] ?? 0);
    if (item.tiers) parts.push(distributionFromRecord(item.tiers));
  }
  return { ...total, tiers: mergeDistributions(parts) };
}

/**
 * The newest runs, newest first: one query of the sparse `byKindStarted` index. With `succeededOnly`, the
 * newest succeeded ones (the filter reads on past failed runs, which stay few).
 */
export async function listRecentRuns(limit: number, options: { succeededOnly?: boolean } = {}): Promise<Run[]> {
  const items = await queryAll(
    {
      TableName: tableName('runs'),
      IndexName: 'byKindStarted',
      KeyConditionExpression: 'kind = :kind',
      ScanIndexForward: false,
      ...(options.succeededOnly
        ? { FilterExpression: '#status = :succeeded', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':kind': RUN_KIND, ':succeeded': 'succeeded' } }
        : { ExpressionAttributeValues: { ':kind': RUN_KIND } }),
    },
    limit,
  );
  return items.map(runFromItem);
}

/** Runs, newest first, a page at a time: `cursor` is the `next` of the page before. */
export async function listRuns(limit: number, cursor?: string): Promise<{ runs: Run[]; next?: string }> {
  const page = await dynamo.send(
    new QueryCommand({
      TableName: tableName('runs'),
      IndexName: 'byKindStarted',
      KeyConditionExpression: 'kind = :kind',
      ExpressionAttributeValues: { ':kind': RUN_KIND },
      ScanIndexForward: false,
      Limit: limit,
      ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor) } : {}),
    }),
  );
  return { runs: (page.Items ?? []).map(runFromItem), ...(page.LastEvaluatedKey ? { next: encodeCursor(page.LastEvaluatedKey) } : {}) };
}

/** A listing position as an opaque token (the index key it stopped at). */
const encodeCursor = (key: Record<string, NativeAttributeValue>) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Raised for a cursor this module did not hand out. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

function decodeCursor(cursor: string): Record<string, NativeAttributeValue> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key.kind === RUN_KIND && typeof key.startedKey === 'string' && typeof key.pk === 'string' && typeof key.sk === 'string') return key;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this listing handed out');
}

function runItems(runId: string, skPrefix: string) {
  return queryAll({
    TableName: tableName('runs'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': runPartitionKey(runId), ':prefix': skPrefix },
    ConsistentRead: true,
  });
}
