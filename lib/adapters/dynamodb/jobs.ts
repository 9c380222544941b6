import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import { dynamo } from './client.js';
import { jobKeys, jobListingKey } from './job-keys.js';
import { queryAll } from './query.js';

type Item = Record<string, NativeAttributeValue>;

/** The kinds of job the engine runs (lib/jobs). */
export type JobKindName = 'recalculation' | 'simulation' | 'dormant-report';
/** Map (order shards) → reduce (group shards) → finish (one task) → done. */
export type JobPhase = 'map' | 'reduce' | 'finish' | 'done';
export type JobStatus = 'running' | 'succeeded' | 'failed';

/** A finished job's result rows, split into pages of items: how many, and the row number each page starts at. */
export interface JobResultPages {
  rows: number;
  pageStarts: number[];
}

/** One job as stored: what it is, where it stands, and what it found. */
export interface Job {
  jobId: string;
  kind: JobKindName;
  asOf: BusinessDate;
  status: JobStatus;
  phase: JobPhase;
  trigger: string;
  /** What the kind needs to run it (a program version number, a candidate program): JSON. */
  params: Record<string, unknown>;
  mapShards: number;
  reduceShards: number;
  mapDone: string[];
  reduceDone: string[];
  startedAt: string;
  /** When a shard last finished, the job started or was resumed: a long-quiet job has lost its tasks. */
  updatedAt: string;
  /** When the last map shard finished and the reduce phase began. */
  mapFinishedAt?: string;
  /** When the last reduce shard finished and the finish began. */
  reduceFinishedAt?: string;
  finishedAt?: string;
  error?: string;
  /** How many times the job was resumed after it stalled. */
  resumes: number;
  /** What the kind's finish found (JSON); only on a succeeded job. */
  summary?: unknown;
  /** The pages of its result rows; only on a succeeded job that has rows. */
  resultPages?: JobResultPages;
}

/** Run bookkeeping (partials, shard results, and the jobs that do not keep their results) expires after this in AWS. */
const JOB_DATA_TTL_SECONDS = 30 * 24 * 3600;
/** When bookkeeping written now expires in AWS (the local servers keep it). */
export const jobDataExpiresAt = () => Math.floor(Date.now() / 1000) + JOB_DATA_TTL_SECONDS;

const parseJson = (text: unknown) => (typeof text === 'string' ? JSON.parse(text) : undefined);

function jobFromItem(item: Item): Job {
  return {
    jobId: item.jobId,
    kind: item.kind,
    asOf: item.asOf,
    status: item.status,
    phase: item.phase,
    trigger: item.trigger,
    params: parseJson(item.params) ?? {},
    mapShards: item.mapShards,
    reduceShards: item.reduceShards,
    mapDone: [...((item.mapDone as Set<string> | undefined) ?? [])].sort(),
    reduceDone: [...((item.reduceDone as Set<string> | undefined) ?? [])].sort(),
    startedAt: item.startedAt,
    updatedAt: item.updatedAt ?? item.startedAt,
    mapFinishedAt: item.mapFinishedAt,
    reduceFinishedAt: item.reduceFinishedAt,
    finishedAt: item.finishedAt,
    error: item.error,
    resumes: Number(item.resumes ?? 0),
    summary: parseJson(item.summary),
    resultPages: parseJson(item.resultPages),
  };
}

/** What starting a job records. `keep`: the job item outlives the 30-day expiry of bookkeeping. */
export type NewJob = Pick<Job, 'jobId' | 'kind' | 'asOf' | 'trigger' | 'params' | 'mapShards' | 'reduceShards'> & { keep: boolean };

/** Records a new job in its map phase; it is listed under its kind, newest first. */
export async function createJob(job: NewJob): Promise<void> {
  const { keep, params, ...fields } = job;
  const startedAt = new Date().toISOString();
  await dynamo.send(
    new PutCommand({
      TableName: tableName('runs'),
      Item: {
        ...jobKeys.job(job.jobId),
        ...fields,
        ...jobListingKey(job.kind, startedAt, job.jobId),
        params: JSON.stringify(params),
        status: 'running',
        phase: 'map',
        startedAt,
        ...(keep ? {} : { expiresAt: jobDataExpiresAt() }),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** A job by id (strongly consistent: workers decide on it). */
export async function getJob(jobId: string): Promise<Job | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('runs'), Key: jobKeys.job(jobId), ConsistentRead: true }));
  return Item ? jobFromItem(Item) : undefined;
}

/** Marks one shard of a phase done (idempotent: a set) and returns the job as it now stands. */
export async function markShardDone(jobId: string, phase: 'map' | 'reduce', shard: string): Promise<Job> {
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: tableName('runs'),
      Key: jobKeys.job(jobId),
      UpdateExpression: 'ADD #done :shard SET updatedAt = :now',
      ExpressionAttributeNames: { '#done': phase === 'map' ? 'mapDone' : 'reduceDone' },
      ExpressionAttributeValues: { ':shard': new Set([shard]), ':now': new Date().toISOString() },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return jobFromItem(Attributes!);
}

/** Updates a running job in a given phase; false when it is no longer running in that phase. */
async function updateRunningJob(jobId: string, phase: JobPhase, sets: Record<string, NativeAttributeValue>): Promise<boolean> {
  const entries = Object.entries(sets);
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName('runs'),
        Key: jobKeys.job(jobId),
        UpdateExpression: `SET ${entries.map(([name]) => `#${name} = :${name}`).join(', ')}`,
        ConditionExpression: '#phase = :from AND #status = :running',
        ExpressionAttributeNames: { '#phase': 'phase', '#status': 'status', ...Object.fromEntries(entries.map(([name]) => [`#${name}`, name])) },
        ExpressionAttributeValues: { ':from': phase, ':running': 'running', ...Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Moves a running job from one phase to the next, stamping when the phase it leaves finished (the run
 * report's phase durations); false when another worker already did.
 */
export function advancePhase(jobId: string, from: 'map' | 'reduce', to: 'reduce' | 'finish'): Promise<boolean> {
  const now = new Date().toISOString();
  return updateRunningJob(jobId, from, { phase: to, [`${from}FinishedAt`]: now, updatedAt: now });
}

/** Finishes a job in its finish phase as succeeded with its summary and result pages; false when another worker already did. */
export function completeJob(jobId: string, summary: unknown, resultPages: JobResultPages | undefined): Promise<boolean> {
  const now = new Date().toISOString();
  return updateRunningJob(jobId, 'finish', {
    phase: 'done',
    status: 'succeeded',
    summary: JSON.stringify(summary),
    ...(resultPages ? { resultPages: JSON.stringify(resultPages) } : {}),
    finishedAt: now,
    updatedAt: now,
  });
}

/** Notes that a stalled job was resumed (its unfinished shards queued again) and returns how often it has been. */
export async function noteResumed(jobId: string): Promise<number> {
  const { Attributes } = await dynamo.send(
    new UpdateCommand({
      TableName: tableName('runs'),
      Key: jobKeys.job(jobId),
      UpdateExpression: 'ADD resumes :one SET updatedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1, ':now': new Date().toISOString() },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.resumes ?? 1);
}

/**
 * Marks a running job failed with the reason (a task exhausted its retries, it could not start, it
 * stalled); false when it was no longer running.
 */
export async function failJob(jobId: string, reason: string): Promise<boolean> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName('runs'),
        Key: jobKeys.job(jobId),
        UpdateExpression: 'SET #status = :failed, #error = :reason, finishedAt = :now',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':failed': 'failed', ':running': 'running', ':reason': reason.slice(0, 1000), ':now': new Date().toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Raised for a listing cursor this module did not hand out. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

/** Jobs of one kind, newest first, a page at a time: `cursor` is the `next` of the page before. */
export async function listJobs(kind: JobKindName, limit: number, cursor?: string): Promise<{ jobs: Job[]; next?: string }> {
  const page = await dynamo.send(
    new QueryCommand({
      TableName: tableName('runs'),
      IndexName: 'byKindStarted',
      KeyConditionExpression: 'kind = :kind',
      ExpressionAttributeValues: { ':kind': kind },
      ScanIndexForward: false,
      Limit: limit,
      ...(cursor ? { ExclusiveStartKey: decodeCursor(kind, cursor) } : {}),
    }),
  );
  return { jobs: (page.Items ?? []).map(jobFromItem), ...(page.LastEvaluatedKey ? { next: encodeCursor(page.LastEvaluatedKey) } : {}) };
}

/**
 * The newest jobs of a kind, newest first: one query of the sparse `byKindStarted` index. With `status`,
 * the newest in that status (the filter reads past the others, which stay few).
 */
export async function listRecentJobs(kind: JobKindName, limit: number, options: { status?: JobStatus } = {}): Promise<Job[]> {
  const items = await queryAll(
    {
      TableName: tableName('runs'),
      IndexName: 'byKindStarted',
      KeyConditionExpression: 'kind = :kind',
      ScanIndexForward: false,
      ...(options.status
        ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':kind': kind, ':status': options.status } }
        : { ExpressionAttributeValues: { ':kind': kind } }),
    },
    limit,
  );
  return items.map(jobFromItem);
}

/** A listing position as an opaque token (the index key it stopped at). */
const encodeCursor = (key: Item) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(kind: JobKindName, cursor: string): Item {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key.kind === kind && typeof key.startedKey === 'string' && typeof key.pk === 'string' && typeof key.sk === 'string') return key;
  } catch {
    // not ours: refused below
  }
  throw new InvalidCursorError('cursor is not one this listing handed out');
}
