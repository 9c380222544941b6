/**
 * `npm run bench:ingest [-- --orders 20000] [--concurrency 4]`: ingest throughput of the orders webhook
 * against the cost of the bare writes.
 *
 * 1. Starts the local servers in a child process (the Java server and the gateway do not compete for one event loop).
 * 2. Starts the local stack against them and warms the Java server up on orders of their own, through every
 *    path measured below: its JIT compiles the hot paths over the first few thousand writes, and whichever
 *    path ran first would pay for it.
 * 3. Posts N signed orders in batches of 500, a few requests at once, through the real HTTP gateway →
 *    `ingest-orders` handler → conditional version-wins writes.
 * 4. Writes the same items (the shape `ingestOrders` stores) with plain BatchWriteItem into a fresh table of
 *    the same definition on the same server: the floor any ingest path on this server could reach.
 * 5. Writes them once more as PartiQL conditional INSERTs, 25 to a request, with no read and no HTTP: what
 *    the server itself charges for a write that cannot replace a stored item (the floor of any version-safe
 *    ingest here).
 * 6. Prints the figures, writes bench-results/ingest.json, and ends with `ingest_vs_raw_write=<ratio>`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { chunk, mapWithConcurrency } from '../../lib/concurrency.js';
import { signWebhook } from '../../lib/http/signature.js';
import { provisionTables } from '../../lib/local/provision.js';
import { secondsSince, startServersProcess } from './support/servers.js';

// One INFO line per batch would be most of the output; the logger reads its level when first loaded.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { DEV_SECRETS, startLocalStack } = await import('../../lib/local/stack.js');

const BATCH_SIZE = 500;
/** Orders written through each path before anything is measured. */
const WARM_UP_ORDERS = 5_000;
const { values: args } = parseArgs({
  options: { orders: { type: 'string' }, concurrency: { type: 'string' }, 'raw-concurrency': { type: 'string' } },
});
const orderCount = positiveInteger('orders', args.orders ?? process.env.BENCH_ORDERS ?? '100000');
const concurrency = positiveInteger('concurrency', args.concurrency ?? process.env.BENCH_CONCURRENCY ?? '4');
/** BatchWrite requests (25 items each) in flight for the raw baseline. */
const rawConcurrency = positiveInteger('raw-concurrency', args['raw-concurrency'] ?? '8');

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
}

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit linear congruential generator): every run ingests the same orders. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** ERP-shaped orders: 20,000 clients, 90 days of dates (some as UTC date-times), mixed statuses, a few lines. */
function generateOrders(count: number): Record<string, unknown>[] {
  const next = random(42);
  const statuses = ['paid', 'shipped', 'completed', 'completed', 'placed', 'cancelled', 'returned'];
  const start = Date.UTC(2026, 7, 24);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(start + Math.floor(next() * 90) * 86_400_000).toISOString().slice(0, 10);
    const kopecks = 10_000 + Math.floor(next() * 50_000_000);
    const lineCount = Math.floor(next() * 3);
    return {
      orderId: `B-${String(i).padStart(8, '0')}`,
      clientId: `C-${Math.floor(next() * 20_000)}`,
      date: i % 4 === 0 ? `${day}T${String(Math.floor(next() * 24)).padStart(2, '0')}:15:00Z` : day,
      amount: (kopecks / 100).toFixed(2),
      currency: 'RUB',
      status: statuses[Math.floor(next() * statuses.length)],
      version: 1 + Math.floor(next() * 3),
      ...(lineCount > 0
        ? {
            lines: Array.from({ length: lineCount }, (_, l) => ({
              sku: `SKU-${Math.floor(next() * 100_000)}`,
              brand: `Brand-${l}`,
              quantity: 1 + Math.floor(next() * 20),
              amount: (kopecks / 100 / lineCount).toFixed(2),
            })),
          }
        : {}),
    };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const servers = await startServersProcess();
const stack = await startLocalStack({ endpoints: servers.endpoints, prefix: `bench-${Date.now()}-` });
try {
  // Loaded after the stack has pointed the SDK at the local servers and named the tables.
  const { dynamo } = await import('../../lib/adapters/dynamodb/client.js');
  const { batchPutAll } = await import('../../lib/adapters/dynamodb/batch.js');
  const { program, tableName } = await import('../../lib/config.js');
  const { webhookSchemas } = await import('../../lib/ingest/schemas.js');
  const { orderItem, storedForms } = await import('../../lib/use-cases/ingest.js');
  const { parseJsonLossless } = await import('../../lib/ingest/lossless-json.js');
  const { insertAllNew } = await import('../../lib/adapters/dynamodb/partiql.js');

  const countItems = async (table: string): Promise<number> => {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: startKey }));
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  };

  const orders = generateOrders(orderCount);
  const bodies = chunk(orders, BATCH_SIZE).map((batch) => JSON.stringify({ orders: batch }));
  console.log(`ingest benchmark: ${orderCount} orders in ${bodies.length} batches of ≤${BATCH_SIZE}, ${concurrency} requests at once`);

  const post = async (body: string) => {
    const response = await fetch(`${stack.url}/webhooks/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': signWebhook(DEV_SECRETS.WEBHOOK_SECRET, body) },
      body,
    });
    const answer = (await response.json()) as { accepted: number; unchanged: number };
    if (response.status !== 202) throw new Error(`webhook answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const schema = webhookSchemas(program, storedForms).orders;
  const storedItems = (batches: string[], receivedAt: string) => batches.flatMap((body) => schema.parse(parseJsonLossless(body)).orders.map((order) => orderItem(order, receivedAt)));
  const rawEnv = await provisionTables(servers.endpoints.dynamodbEndpoint, `bench-raw-${Date.now()}-`);
  const rawTable = rawEnv.ORDERS_TABLE!;
  const conditionalTable = (await provisionTables(servers.endpoints.dynamodbEndpoint, `bench-conditional-${Date.now()}-`)).ORDERS_TABLE!;

  // Warm-up, not counted: the handler module is loaded, connections are opened and the server's JIT has
  // compiled the webhook path's and the bare write's requests alike.
  const warmUpBodies = chunk(
    generateOrders(WARM_UP_ORDERS).map((order) => ({ ...order, orderId: `WARM-${order.orderId as string}` })),
    BATCH_SIZE,
  ).map((batch) => JSON.stringify({ orders: batch }));
  await mapWithConcurrency(warmUpBodies, concurrency, post);
  const warmUpItems = storedItems(warmUpBodies, new Date().toISOString());
  await batchPutAll(rawTable, warmUpItems, rawConcurrency);
  await insertAllNew(conditionalTable, warmUpItems, rawConcurrency);

  const latencies: number[] = [];
  const ingestStart = performance.now();
  const answers = await mapWithConcurrency(bodies, concurrency, async (body) => {
    const requestStart = performance.now();
    const answer = await post(body);
    latencies.push(performance.now() - requestStart);
    return answer;
  });
  const ingestSeconds = secondsSince(ingestStart);
  const accepted = answers.reduce((total, answer) => total + answer.accepted, 0);
  const storedByIngest = (await countItems(tableName('orders'))) - WARM_UP_ORDERS;
  if (accepted !== orderCount || storedByIngest !== orderCount) {
    throw new Error(`ingest accepted ${accepted} and stored ${storedByIngest} of ${orderCount} orders`);
  }

  // A full redelivery of the same batches: every order is a duplicate, found by the batch read, never written.
  const redeliveryStart = performance.now();
  const redelivered = await mapWithConcurrency(bodies, concurrency, post);
  const redeliverySeconds = secondsSince(redeliveryStart);
  if (redelivered.some((answer) => answer.accepted !== 0)) throw new Error('a redelivered batch changed the store');

  // The same items, in the same shape, parsed by the same schema; written without any condition.
  const items = storedItems(bodies, new Date().toISOString());
  const rawStart = performance.now();
  await batchPutAll(rawTable, items, rawConcurrency);
  const rawSeconds = secondsSince(rawStart);
  const storedByRaw = (await countItems(rawTable)) - WARM_UP_ORDERS;
  if (storedByRaw !== orderCount) throw new Error(`raw BatchWrite stored ${storedByRaw} of ${orderCount} items`);

  // And as conditional INSERTs, as many requests in flight as the raw write.
  const conditionalStart = performance.now();
  await insertAllNew(conditionalTable, items, rawConcurrency);
  const conditionalSeconds = secondsSince(conditionalStart);
  const storedByConditional = (await countItems(conditionalTable)) - WARM_UP_ORDERS;
  if (storedByConditional !== orderCount) throw new Error(`conditional INSERTs stored ${storedByConditional} of ${orderCount} items`);

  latencies.sort((a, b) => a - b);
  const ratio = Math.round((ingestSeconds / rawSeconds) * 100) / 100;
  const results = {
    orders: orderCount,
    batchSize: BATCH_SIZE,
    concurrentRequests: concurrency,
    ingest: {
      seconds: ingestSeconds,
      ordersPerSecond: Math.round(orderCount / ingestSeconds),
      requestMs: { p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)), max: Math.round(latencies.at(-1) ?? 0) },
    },
    redelivery: { seconds: redeliverySeconds, ordersPerSecond: Math.round(orderCount / redeliverySeconds) },
    rawBatchWrite: { seconds: rawSeconds, itemsPerSecond: Math.round(orderCount / rawSeconds), concurrentRequests: rawConcurrency, itemsPerRequest: 25 },
    conditionalInsert: { seconds: conditionalSeconds, itemsPerSecond: Math.round(orderCount / conditionalSeconds), concurrentRequests: rawConcurrency, statementsPerRequest: 25 },
    conditionalInsertVsRawWrite: Math.round((conditionalSeconds / rawSeconds) * 100) / 100,
    warmUpOrdersPerPath: WARM_UP_ORDERS,
    ingestVsRawWrite: ratio,
    node: process.version,
    cpus: availableParallelism(),
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    at: new Date().toISOString(),
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/ingest.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    [
      `ingest: ${results.ingest.seconds} s, ${results.ingest.ordersPerSecond} orders/s, request p50 ${results.ingest.requestMs.p50} ms, p95 ${results.ingest.requestMs.p95} ms (HTTP → handler → BatchGet + PartiQL conditional INSERT/UPDATE, 25 per request)`,
      `redelivery of the same batches: ${results.redelivery.seconds} s, ${results.redelivery.ordersPerSecond} orders/s (all unchanged: one BatchGet per 100, no writes)`,
      `raw BatchWriteItem: ${results.rawBatchWrite.seconds} s, ${results.rawBatchWrite.itemsPerSecond} items/s (${rawConcurrency} × 25 items in flight)`,
      `bare conditional INSERTs: ${results.conditionalInsert.seconds} s, ${results.conditionalInsert.itemsPerSecond} items/s, ${results.conditionalInsertVsRawWrite}× raw (the server's own price of a version-safe write; ingest is ${Math.round((ingestSeconds / conditionalSeconds) * 100) / 100}× it)`,
      `warm-up before measuring: ${WARM_UP_ORDERS} orders through each path`,
      `machine: ${results.cpus} CPUs, load average ${results.loadAverage1m} (other work on the machine skews every figure)`,
      'results: bench-results/ingest.json',
      `ingest_vs_raw_write=${ratio}`,
    ].join('\n'),
  );
} finally {
  await stack.close();
  servers.stop();
}
