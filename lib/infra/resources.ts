/**
 * The one definition of every table and queue: the CDK stack and the local stack both build from it, so
 * keys, indexes and queue settings cannot drift apart (a test compares the synthesized template to it).
 */

export type AttributeType = 'S' | 'N';
export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}
export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  /** Every index has a sort key; ours are unique per item (date#orderId, groupId), which keeps pages in a stable order. */
  readonly sortKey: KeyAttribute;
  readonly projection: { readonly type: 'ALL' | 'KEYS_ONLY' } | { readonly type: 'INCLUDE'; readonly nonKeyAttributes: readonly string[] };
}
export interface TableDefinition {
  /** Logical name: local table name (with a prefix) and CDK construct id. */
  readonly name: string;
  /** Environment variable through which functions learn the physical table name. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly indexes: readonly IndexDefinition[];
  /** Attribute AWS expires items by (local servers do not expire). */
  readonly timeToLiveAttribute?: string;
}

export const tables = {
  orders: {
    name: 'orders',
    envVar: 'ORDERS_TABLE',
    partitionKey: { name: 'orderId', type: 'S' },
    indexes: [
      {
        // The nightly run reads each shard's in-window orders in large pages: cost grows with in-window data only.
        indexName: 'byShardDate',
        partitionKey: { name: 'shard', type: 'S' },
        sortKey: { name: 'dateKey', type: 'S' },
        // brandLines: line amounts by brand, for focus-brand qualifying sums (§4.3) without reading whole orders.
        projection: { type: 'INCLUDE', nonKeyAttributes: ['clientId', 'amountMinor', 'status', 'brandLines'] },
      },
    ],
  },
  clients: {
    name: 'clients',
    envVar: 'CLIENTS_TABLE',
    partitionKey: { name: 'clientId', type: 'S' },
    indexes: [
      {
        indexName: 'byGroup',
        partitionKey: { name: 'groupId', type: 'S' },
        sortKey: { name: 'clientId', type: 'S' },
        projection: { type: 'KEYS_ONLY' },
      },
      {
        // A job that lists groups from master data (the dormant report) maps a whole order shard's clients to their groups.
        indexName: 'byShard',
        partitionKey: { name: 'shard', type: 'S' },
        sortKey: { name: 'clientId', type: 'S' },
        projection: { type: 'INCLUDE', nonKeyAttributes: ['groupId'] },
      },
      {
        // The clients of an order shard whose master data changed since a time: a run reads only those
        // besides the membership the previous one recorded, so dormant clients cost it nothing.
        indexName: 'byShardReceived',
        partitionKey: { name: 'shard', type: 'S' },
        sortKey: { name: 'receivedAt', type: 'S' },
        projection: { type: 'INCLUDE', nonKeyAttributes: ['groupId'] },
      },
    ],
  },
  groups: {
    name: 'groups',
    envVar: 'GROUPS_TABLE',
    partitionKey: { name: 'groupId', type: 'S' },
    indexes: [],
  },
  prices: {
    name: 'prices',
    envVar: 'PRICES_TABLE',
    partitionKey: { name: 'sku', type: 'S' },
    indexes: [],
  },
  groupState: {
    name: 'group-state',
    envVar: 'GROUP_STATE_TABLE',
    partitionKey: { name: 'groupId', type: 'S' },
    indexes: [
      {
        // Sparse: only groups with a sum, a paid tier or an unpublished change; dormant groups cost a run nothing.
        indexName: 'activeByShard',
        partitionKey: { name: 'activeShard', type: 'S' },
        sortKey: { name: 'groupId', type: 'S' },
        projection: { type: 'ALL' },
      },
    ],
  },
  tierChanges: {
    name: 'tier-changes',
    envVar: 'TIER_CHANGES_TABLE',
    partitionKey: { name: 'groupId', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    indexes: [],
  },
  runs: {
    // Jobs (recalculations, simulations, reports) with what their tasks record, the run lease, shard watermarks.
    name: 'runs',
    envVar: 'RUNS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    indexes: [
      {
        // Sparse: only job items carry `kind`; lists one kind's jobs newest first.
        indexName: 'byKindStarted',
        partitionKey: { name: 'kind', type: 'S' },
        sortKey: { name: 'startedKey', type: 'S' },
        projection: { type: 'ALL' },
      },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  priceAssignments: {
    name: 'price-assignments',
    envVar: 'PRICE_ASSIGNMENTS_TABLE',
    partitionKey: { name: 'groupId', type: 'S' },
    sortKey: { name: 'effectiveKey', type: 'S' },
    indexes: [],
  },
  deliveries: {
    name: 'deliveries',
    envVar: 'DELIVERIES_TABLE',
    partitionKey: { name: 'eventId', type: 'S' },
    indexes: [
      {
        // Sparse: only deliveries some channel still owes, oldest publish first in each group shard.
        indexName: 'owedByShard',
        partitionKey: { name: 'owedShard', type: 'S' },
        sortKey: { name: 'owedKey', type: 'S' },
        projection: { type: 'ALL' },
      },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  programVersions: {
    // The program as numbered versions, each effective from a date (§4.1); one partition, newest version last.
    name: 'program-versions',
    envVar: 'PROGRAM_VERSIONS_TABLE',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'version', type: 'N' },
    indexes: [],
  },
  groupFloors: {
    // Tier floors the manager set, partitioned by group shard: a reduce shard reads its floors in one query.
    name: 'group-floors',
    envVar: 'GROUP_FLOORS_TABLE',
    partitionKey: { name: 'shard', type: 'S' },
    sortKey: { name: 'groupId', type: 'S' },
    indexes: [],
  },
  idempotency: {
    name: 'idempotency',
    envVar: 'IDEMPOTENCY_TABLE',
    partitionKey: { name: 'id', type: 'S' },
    indexes: [],
    timeToLiveAttribute: 'expiration',
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof tables;

export interface QueueDefinition {
  readonly name: string;
  /** The function under functions/ that consumes the queue. */
  readonly consumer: string;
  /** Most concurrent consumer invocations (Lambda event source maximum concurrency). */
  readonly maxConcurrency: number;
  readonly envVar: string;
  /** Environment variable with the URL of the queue's dead-letter queue (for functions that redrive it). */
  readonly deadLetterEnvVar: string;
  /** Seconds a received message stays invisible; ≥ 6× the consumer's timeout. */
  readonly visibilityTimeoutSeconds: number;
  /** Timeout of the function that consumes the queue. */
  readonly consumerTimeoutSeconds: number;
  readonly batchSize: number;
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
}

export const queues = {
  recalcTasks: {
    name: 'recalc-tasks',
    consumer: 'recalc-worker',
    maxConcurrency: 4,
    envVar: 'RECALC_QUEUE_URL',
    deadLetterEnvVar: 'RECALC_DLQ_URL',
    consumerTimeoutSeconds: 300,
    visibilityTimeoutSeconds: 1800,
    batchSize: 1,
    maxReceiveCount: 5,
    retentionDays: 4,
  },
  tierEmails: {
    name: 'tier-emails',
    consumer: 'send-tier-email',
    maxConcurrency: 2,
    envVar: 'EMAIL_QUEUE_URL',
    deadLetterEnvVar: 'EMAIL_DLQ_URL',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    batchSize: 10,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
  priceListUpdates: {
    name: 'price-list-updates',
    consumer: 'update-price-list',
    maxConcurrency: 2,
    envVar: 'PRICE_LIST_QUEUE_URL',
    deadLetterEnvVar: 'PRICE_LIST_DLQ_URL',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    batchSize: 10,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
  emailSendEvents: {
    name: 'email-send-events',
    consumer: 'record-email-send',
    maxConcurrency: 2,
    envVar: 'EMAIL_SEND_EVENTS_QUEUE_URL',
    deadLetterEnvVar: 'EMAIL_SEND_EVENTS_DLQ_URL',
    consumerTimeoutSeconds: 30,
    visibilityTimeoutSeconds: 180,
    batchSize: 10,
    maxReceiveCount: 5,
    retentionDays: 14,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueKey = keyof typeof queues;

/** Name of a queue's dead-letter queue. */
export function deadLetterQueueName(queue: QueueDefinition): string {
  return `${queue.name}-dlq`;
}

/** Shards of the order index (fixed: it is written into every order) and of the group state. */
export const ORDER_SHARDS = 32;
export const GROUP_SHARDS = 32;
