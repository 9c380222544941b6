/**
 * `npm run bench:nightly [-- --scale F --program FILE]`: seeds groups, clients, in-window and older orders on
 * the local stack (servers in their own process), runs the recalculation through the recalc queue and
 * worker, and compares its wall time with a raw parallel read of the same in-window orders from the
 * same server. The measured run is a regular night: the night before (also timed, from empty state) has
 * already filled the group state. Then repeats on a data set with twice the old history and twice the groups, the extra ones
 * dormant, and on one with twice the in-window orders (the run must grow linearly with the window's data).
 * Every order has 1–3 lines of 8 brands, so a program with focus brands (`--program`, e.g.
 * lib/program/examples/with-policy.json) reads them. Writes bench-results/nightly.json; prints
 * `nightly_vs_raw_read=<ratio>` last.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../../lib/concurrency.js';
import { addDays } from '../../lib/domain/business-date.js';
import { shardKey } from '../../lib/domain/sharding.js';
import { GROUP_SHARDS, ORDER_SHARDS, queues } from '../../lib/infra/resources.js';
import { startLocalStack, type LocalStack } from '../../lib/local/stack.js';
import { secondsSince, startServersProcess } from './support/servers.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    'as-of': { type: 'string', default: '2026-11-21' },
    scenario: { type: 'string' },
    // The deployed program of the run (it becomes program version 1); default: the built-in one.
    program: { type: 'string' },
  },
});
const scale = Number(values.scale);
const asOf = values['as-of']!;
const size = {
  groups: Math.round(20_000 * scale),
  clientsPerGroup: 2,
  inWindowOrders: Math.round(200_000 * scale),
  olderOrders: Math.round(200_000 * scale),
};
const WORKER_CONCURRENCY = queues.recalcTasks.maxConcurrency;
// The figures are the output: worker log lines and the metrics library's notices stay off the console.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

// Modules that build AWS clients read the environment the stack sets: import them after it.
type Modules = {
  dynamo: typeof import('../../lib/adapters/dynamodb/client.js').dynamo;
  batchPutAll: typeof import('../../lib/adapters/dynamodb/batch.js').batchPutAll;
  groupStateToItem: typeof import('../../lib/adapters/dynamodb/group-state.js').groupStateToItem;
  orderItem: typeof import('../../lib/use-cases/ingest.js').orderItem;
  clientItem: typeof import('../../lib/use-cases/ingest.js').clientItem;
  tableName: typeof import('../../lib/config.js').tableName;
  startRun: typeof import('../../lib/recalc/run-lifecycle.js').startRun;
  getRun: typeof import('../../lib/adapters/dynamodb/runs.js').getRun;
};
async function loadModules(): Promise<Modules> {
  const [client, batch, groupState, ingest, config, lifecycle, runs] = await Promise.all([
    import('../../lib/adapters/dynamodb/client.js'),
    import('../../lib/adapters/dynamodb/batch.js'),
    import('../../lib/adapters/dynamodb/group-state.js'),
    import('../../lib/use-cases/ingest.js'),
    import('../../lib/config.js'),
    import('../../lib/recalc/run-lifecycle.js'),
    import('../../lib/adapters/dynamodb/runs.js'),
  ]);
  return { dynamo: client.dynamo, batchPutAll: batch.batchPutAll, groupStateToItem: groupState.groupStateToItem, orderItem: ingest.orderItem, clientItem: ingest.clientItem, tableName: config.tableName, startRun: lifecycle.startRun, getRun: runs.getRun };
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

/**
 * Seeds `groups` active groups (two clients each) with in-window and older orders; each group has a
 * buying-power factor, log-uniform over 0.1–10, so about 40% reach a paid tier. With `dormantGroups`,
 * adds groups whose clients only bought long ago, and whose state a previous run left at zero.
 */
async function seed(m: Modules, options: { groups: number; inWindow: number; older: number; dormantGroups: number; olderDormant: number }) {
  const next = random(42);
  const nextLine = random(7);
  const receivedAt = new Date().toISOString();
  const windowStart = addDays(asOf, -89);
  const clients: Record<string, unknown>[] = [];
  const groupCount = options.groups + options.dormantGroups;
  for (let g = 0; g < groupCount; g++) {
    for (let c = 0; c < size.clientsPerGroup; c++) {
      clients.push(m.clientItem({ clientId: `C-${pad(g * size.clientsPerGroup + c)}`, name: `Client ${g}/${c}`, groupId: `G-${pad(g)}`, version: 1 }, receivedAt));
    }
  }
  const power = Array.from({ length: options.groups }, () => 0.1 * 100 ** next());
  const orders: ReturnType<Modules['orderItem']>[] = [];
  const addOrders = (count: number, firstGroup: number, groups: number, dates: () => string, prefix: string) => {
    for (let i = 0; i < count; i++) {
      const group = firstGroup + Math.floor(next() * groups);
      const clientId = `C-${pad(group * size.clientsPerGroup + Math.floor(next() * size.clientsPerGroup))}`;
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
    m.groupStateToItem({ groupId: `G-${pad(options.groups + i)}`, sum: 0n, qualifyingSum: 0n, tierId: 'base', tierSince: '2025-06-01', belowRetainSince: null, appliedAsOf: addDays(asOf, -1), changeCount: 2, pending: [] }),
  );
  const started = performance.now();
  await m.batchPutAll(m.tableName('clients'), clients, 8);
  await m.batchPutAll(m.tableName('orders'), orders, 8);
  await m.batchPutAll(m.tableName('groupState'), dormantStates, 8);
  return { clients: clients.length, orders: orders.length, dormantStates: dormantStates.length, seconds: secondsSince(started) };
}

/** Reads every shard's in-window orders from the index, as many shards at once as the run has workers. */
async function rawParallelRead(m: Modules): Promise<{ items: number; seconds: number }> {
  const started = performance.now();
  const counts = await mapWithConcurrency(
    Array.from({ length: ORDER_SHARDS }, (_, i) => shardKey(i)),
    WORKER_CONCURRENCY,
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
            ExpressionAttributeValues: { ':shard': shard, ':from': addDays(asOf, -89), ':to': `${asOf}#\uffff` },
            ProjectionExpression: 'clientId, amountMinor, #status',
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

/** Starts a run for `date` and lets the recalc queue's consumer (the local event source) work it off. */
async function timedRun(m: Modules, date: string) {
  const started = performance.now();
  const { runId } = await m.startRun(date, 'benchmark');
  let mapSeconds: number | undefined;
  for (;;) {
    const run = await m.getRun(runId);
    if (run?.phase !== 'map') mapSeconds ??= secondsSince(started);
    if (run && run.status !== 'running') {
      const seconds = secondsSince(started);
      return { runId, asOf: date, status: run.status, groups: run.groups, changed: run.changed, up: run.up, down: run.down, seconds, mapSeconds, reduceSeconds: Math.round((seconds - mapSeconds!) * 1000) / 1000 };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const scenarios = {
  base: { groups: size.groups, inWindow: size.inWindowOrders, older: size.olderOrders, dormantGroups: 0, olderDormant: 0 },
  doubled: { groups: size.groups, inWindow: size.inWindowOrders, older: size.olderOrders, dormantGroups: size.groups, olderDormant: size.olderOrders },
  windowDoubled: { groups: size.groups, inWindow: 2 * size.inWindowOrders, older: size.olderOrders, dormantGroups: 0, olderDormant: 0 },
};
type ScenarioName = keyof typeof scenarios;
type ScenarioResult = Awaited<ReturnType<typeof measure>>;

/**
 * One data set in a process of its own with servers of its own: neither scenario inherits the other's
 * data, warm caches or AWS clients (they are bound to one endpoint for the life of a process).
 */
function scenario(name: ScenarioName): ScenarioResult {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--scenario', name, '--scale', String(scale), '--as-of', asOf];
  const env = { ...process.env, ...(values.program ? { PROGRAM_CONFIG: resolve(values.program) } : {}) };
  const child = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (child.status !== 0) throw new Error(`scenario ${name} failed with exit code ${child.status}`);
  return JSON.parse(readFileSync(`bench-results/nightly-${name}.json`, 'utf8')) as ScenarioResult;
}

async function measure(name: string, endpoints: LocalStack['endpoints'], options: Parameters<typeof seed>[1]) {
  const stack = await startLocalStack({ endpoints, prefix: `${name}-` });
  const m = await loadModules();
  const seeded = await seed(m, options);
  console.log(`[${name}] seeded ${seeded.orders} orders, ${seeded.clients} clients in ${seeded.seconds} s`);
  stack.startConsumers();
  // The night before fills the group state, as production always has it; the measured run is the next night.
  const firstRun = await timedRun(m, addDays(asOf, -1));
  console.log(`[${name}] first run (empty state) ${firstRun.status}: ${firstRun.groups} groups, ${firstRun.changed} changes in ${firstRun.seconds} s`);
  const raw = await rawParallelRead(m);
  console.log(`[${name}] raw parallel read: ${raw.items} in-window orders in ${raw.seconds} s`);
  const run = await timedRun(m, asOf);
  console.log(`[${name}] nightly run ${run.status}: ${run.groups} groups, ${run.changed} changes in ${run.seconds} s (map ${run.mapSeconds} s, reduce ${run.reduceSeconds} s)`);
  await stack.close();
  return { seeded, firstRun, raw, run };
}

if (values.scenario) {
  const name = values.scenario as ScenarioName;
  // Only the recalc queue is consumed: fan-out consumers are not part of the run.
  for (const key of ['tierEmails', 'priceListUpdates'] as const) (queues[key] as { maxConcurrency: number }).maxConcurrency = 0;
  const servers = await startServersProcess();
  try {
    const result = await measure(name, servers.endpoints, scenarios[name]);
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(`bench-results/nightly-${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    servers.stop();
  }
} else {
  const base = scenario('base');
  const doubled = scenario('doubled');
  const windowDoubled = scenario('windowDoubled');
  const result = {
    program: values.program ?? '(default program)',
    size,
    shards: { orders: ORDER_SHARDS, groups: GROUP_SHARDS, workerConcurrency: WORKER_CONCURRENCY },
    base,
    doubled,
    windowDoubled,
    nightlyVsRawRead: Math.round((base.run.seconds / base.raw.seconds) * 100) / 100,
    doubledNightlyVsRawRead: Math.round((doubled.run.seconds / doubled.raw.seconds) * 100) / 100,
    doubledHistoryAndDormantSlowdown: Math.round((doubled.run.seconds / base.run.seconds - 1) * 1000) / 1000,
    windowDoubledVsBase: Math.round((windowDoubled.run.seconds / base.run.seconds) * 100) / 100,
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/nightly.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`doubled old history + dormant groups: run ${doubled.run.seconds} s vs ${base.run.seconds} s (${(result.doubledHistoryAndDormantSlowdown * 100).toFixed(1)}% slower)`);
  console.log(`twice the in-window orders: run ${windowDoubled.run.seconds} s, ${result.windowDoubledVsBase}× the base run (linear would be 2×)`);
  console.log(`nightly_vs_raw_read=${result.nightlyVsRawRead}`);
}
process.exit(0);
