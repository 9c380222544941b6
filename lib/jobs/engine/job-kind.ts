import type { Job, JobKindName } from '../../adapters/dynamodb/jobs.js';
import type { OrderFact } from '../../adapters/dynamodb/order-window.js';
import type { BusinessDate } from '../../domain/business-date.js';

/** The orders a job's map reads: those dated within [from, to], with their lines when some brand is weighted. */
export interface OrderWindow {
  from: BusinessDate;
  to: BusinessDate;
  withLines: boolean;
}

/**
 * How a kind aggregates a window's orders per group in the map, and carries the aggregates to the reduce.
 * Aggregates are folded per client first, then per group by current membership, then across map shards.
 */
export interface Aggregation<Context, Aggregate> {
  /** An aggregate before any order. */
  empty(context: Context): Aggregate;
  /** Folds one order of the window into an aggregate (the kind decides whether it counts). */
  addOrder(aggregate: Aggregate, order: OrderFact, context: Context): void;
  /** Folds another aggregate of the same group (another client, another map shard) into `into`. */
  merge(into: Aggregate, other: Aggregate): void;
  /** The aggregate as compact JSON, and back. */
  encode(aggregate: Aggregate): unknown;
  decode(encoded: unknown): Aggregate;
}

/** What a kind's extra map step sees: the order shard and its clients' current groups. */
export interface MapShardInput<Context> {
  job: Job;
  context: Context;
  shard: string;
  shardIndex: number;
  /** clientId → groupId of every client with master data in the shard. */
  membership: ReadonlyMap<string, string>;
}

/**
 * What a kind's reduce sees: one group shard's groups with their aggregates merged from every map shard.
 * `groups` is still being read when the reduce starts: a kind starts its own reads of the shard (state,
 * floors) before it awaits them, so the reads overlap instead of queueing one after another.
 */
export interface ReduceShardInput<Context, Aggregate> {
  job: Job;
  context: Context;
  shard: string;
  groups: Promise<Map<string, Aggregate>>;
}

/**
 * What a reduce shard found: `result` (JSON) is recorded for the finish, `rows` kept for it to sort. A kind
 * whose reduce writes elsewhere records its result itself, at the point it chooses, and returns none.
 */
export interface ReduceShardOutput {
  result?: unknown;
  rows?: unknown[];
}

/** What a kind's finish sees: every reduce shard's result and rows. */
export interface FinishInput<Context> {
  job: Job;
  context: Context;
  shards: { shard: string; result: unknown; rows: unknown[] }[];
}

/** The job's summary (JSON) and, for a kind with a listing, its result rows in their final order. */
export interface FinishOutput {
  summary: unknown;
  rows?: unknown[];
}

/**
 * A kind of job the engine runs (lib/jobs/engine/lifecycle.ts): what it reads, how it aggregates per group,
 * what its reduce does per group shard and how it finishes. Sharding, task queueing, progress, resume and
 * failure are the engine's.
 */
export interface JobKind<Context = any, Aggregate = any> {
  readonly name: JobKindName;
  /** Whether the job and its result pages are kept (else they expire with the bookkeeping after 30 days). */
  readonly keepsResults: boolean;
  /** What every task of the job needs (program versions, a candidate program), loaded once per invocation. */
  prepare(job: Job): Promise<Context>;
  /** The orders the map reads. */
  window(context: Context): OrderWindow;
  readonly aggregation: Aggregation<Context, Aggregate>;
  /** Groups a map shard reports besides those it saw orders of (a report lists groups known only from master data). */
  knownGroups?(input: MapShardInput<Context>): Promise<Map<string, Aggregate>>;
  reduce(input: ReduceShardInput<Context, Aggregate>): Promise<ReduceShardOutput>;
  finish(input: FinishInput<Context>): Promise<FinishOutput>;
  /** Once, after the job succeeded (with its summary) or failed: a recalculation gives its lease back. */
  afterEnd?(job: Job, outcome: { status: 'succeeded'; summary: unknown } | { status: 'failed' }): Promise<void>;
}
