/**
 * The nightly benchmark's data set, shared by the benchmarks that run jobs on it (bench:nightly,
 * bench:simulate): groups of two clients, in-window and older orders with 1–3 lines of 8 brands, and a
 * raw parallel read of a window of those orders to compare a job with.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../../../lib/concurrency.js';
import { addDays } from '../../../lib/domain/business-date.js';
import { NO_OUTLOOK } from '../../../lib/domain/outlook.js';
import { shardKey } from '../../../lib/domain/sharding.js';
import { ORDER_SHARDS } from '../../../lib/infra/resources.js';
import { secondsSince } from './servers.js';

/** The nightly data set at `scale` (1: 20,000 groups, 40,000 clients, 200k in-window and 200k older orders). */
export function nightlySize(scale: number) {
  return {
    groups: Math.round(20_000 * scale),
    clientsPerGroup: 2,
    inWindowOrders: Math.round(200_000 * scale),
    olderOrders: Math.round(200_000 * scale),
  };
}

/** What the seeding needs of the system; imported only once the local stack has set the environment. */
export type DataModules = Awaited<ReturnType<typeof loadDataModules>>;
export async function loadDataModules() {
  const [client, batch, groupState, ingest, config] = await Promise.all([
    import('../../../lib/adapters/dynamodb/client.js'),
    import('../../../lib/adapters/dynamodb/batch.js'),
    import('../../../lib/adapters/dynamodb/group-state.js'),
    import('../../../lib/use-cases/ingest.js'),
    import('../../../lib/config.js'),
  ]);
  return {
    dynamo: client.dynamo,
    batchPutAll: batch.batchPutAll,
    groupStateToItem: groupState.groupStateToItem,
    orderItem: ingest.orderItem,
    clientItem: ingest.clientItem,
    tableName: config.tableName,
  };
}

/** A small deterministic generator, so every run of the benchmark seeds the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const pad = (n: number) => String(n).padStart(7, '0');
const BRANDS = ['GROHE', 'Jacob Delafon', 'Rehau', 'Hansgrohe', 'Geberit', 'Valtec', 'Oventrop', 'Wavin'];

/** 1–3 lines of random brands that add up to the order's amount (their own generator: the orders stay as they were). */
function linesOf(amount: bigint, next: () => number) {
  const count = 1 + Math.floor(next() * 3);
  let left = amount;
  return Array.from({ length: count }, (_, i) => {
    const share = i === count - 1 ? left : (left * BigInt(Math.floor(next() * 100))) / 100n;
    left -= share;
    return { sku: `SKU-${i}`, brand: BRANDS[Math.floor(next() * BRANDS.length)]!, quantity: 1, amount: share };
  });
}

export interface SeedOptions {
  asOf: string;
  groups: number;
  clientsPerGroup: number;
  inWindow: number;
  older: number;
  dormantGroups: number;
  olderDormant: number;
  /** Also a group master record (name, contact) per group, as the ERP sends them. */
  groupRecords?: boolean;
}

/**
 * Seeds `groups` active groups with in-window and older orders; each group has a buying-power factor,
 * log-uniform over 0.1–10, so about 40% reach a paid tier. With `dormantGroups`, adds groups whose clients
 * only bought long ago, and whose state a previous run left at zero.
 */
export async function seedNightlyData(m: DataModules, options: SeedOptions) {
  const next = random(42);
  const nextLine = random(7);
  const receivedAt = new Date().toISOString();
  const windowStart = addDays(options.asOf, -89);
  const clients: Record<string, unknown>[] = [];
  const groupCount = options.groups + options.dormantGroups;
  for (let g = 0; g < groupCount; g++) {
    for (let c = 0; c < options.clientsPerGroup; c++) {
      clients.push(m.clientItem({ clientId: `C-${pad(g * options.clientsPerGroup + c)}`, name: `Client ${g}/${c}`, groupId: `G-${pad(g)}`, version: 1 }, receivedAt));
    }
  }
  const groupRecords = options.groupRecords
    ? Array.from({ length: groupCount }, (_, g) => ({ groupId: `G-${pad(g)}`, name: `Group ${g}`, contacts: [`buyer-${g}@example.com`], locale: 'ru', version: 1, receivedAt }))
    : [];
  const power = Array.from({ length: options.groups }, () => 0.1 * 100 ** next());
  const orders: ReturnType<DataModules['orderItem']>[] = [];
  const addOrders = (count: number, firstGroup: number, groups: number, dates: () => string, prefix: string) => {
    for (let i = 0; i < count; i++) {
      const group = firstGroup + Math.floor(next() * groups);
      const clientId = `C-${pad(group * options.clientsPerGroup + Math.floor(next() * options.clientsPerGroup))}`;
      const factor = power[group] ?? 1;
      const amount = BigInt(Math.round(300_000 * factor * (0.5 + next()))); // ~3,000 ₽ × factor, in kopecks
      const status = next() < 0.9 ? 'completed' : 'cancelled';
      const lines = linesOf(amount, nextLine);
      orders.push(m.orderItem({ orderId: `${prefix}-${pad(i)}`, clientId, date: dates(), amount, currency: 'RUB', status, version: 1, lines } as never, receivedAt));
    }
  };
  addOrders(options.inWindow, 0, options.groups, () => addDays(windowStart, Math.floor(next() * 90)), 'OW');
  addOrders(options.older, 0, groupCount, () => addDays(windowStart, -1 - Math.floor(next() * 365)), 'OH');
  addOrders(options.olderDormant, options.groups, options.dormantGroups, () => addDays(windowStart, -1 - Math.floor(next() * 365)), 'OD');
  const dormantStates = Array.from({ length: options.dormantGroups }, (_, i) =>
    m.groupStateToItem({
      groupId: `G-${pad(options.groups + i)}`,
      sum: 0n,
      qualifyingSum: 0n,
      tierId: 'base',
      tierSince: '2025-06-01',
      belowRetainSince: null,
      appliedAsOf: addDays(options.asOf, -1),
      changeCount: 2,
      pending: [],
      outlook: NO_OUTLOOK,
      noticedOn: {},
      pendingNotices: [],
    }),
  );
  const started = performance.now();
  await m.batchPutAll(m.tableName('clients'), clients, 8);
  await m.batchPutAll(m.tableName('groups'), groupRecords, 8);
  await m.batchPutAll(m.tableName('orders'), orders, 8);
  await m.batchPutAll(m.tableName('groupState'), dormantStates, 8);
  return { clients: clients.length, groups: groupRecords.length, orders: orders.length, dormantStates: dormantStates.length, seconds: secondsSince(started) };
}

/**
 * Reads every shard's orders dated in [from, to] from the index, as many shards at once as the jobs have
 * workers, projecting what a job reads (the lines too, when a program weighs focus brands).
 */
export async function rawParallelRead(m: DataModules, window: { from: string; to: string; withLines: boolean }, concurrency: number) {
  const started = performance.now();
  const counts = await mapWithConcurrency(
    Array.from({ length: ORDER_SHARDS }, (_, i) => shardKey(i)),
    concurrency,
    async (shard) => {
      let items = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await m.dynamo.send(
          new QueryCommand({
            TableName: m.tableName('orders'),
            IndexName: 'byShardDate',
            KeyConditionExpression: '#shard = :shard AND dateKey BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#shard': 'shard', '#status': 'status' },
            ExpressionAttributeValues: { ':shard': shard, ':from': window.from, ':to': `${window.to}#\uffff` },
            ProjectionExpression: `clientId, dateKey, amountMinor, #status${window.withLines ? ', brandLines' : ''}`,
            ExclusiveStartKey: startKey,
          }),
        );
        items += page.Items?.length ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },
  );
  return { items: counts.reduce((a, b) => a + b, 0), seconds: secondsSince(started) };
}
