/**
 * `npm run bench:fanout [-- --changes N]`: N groups (default 1,000) cross into a paid tier in one run on
 * the local stack (servers in their own process, consumers polling as Lambda event sources would).
 * Measures the time from the run's completion to the last tier-change email in the SES store and the
 * last price-list assignment; writes bench-results/fanout.json and prints
 * `fanout_last_email_after_run_seconds=<s>` last.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startLocalStack } from '../../lib/local/stack.js';
import { secondsSince, startServersProcess } from './support/servers.js';

const { values } = parseArgs({ options: { changes: { type: 'string', default: '1000' } } });
const changes = Number(values.changes);
const asOf = '2026-11-21';

const servers = await startServersProcess();
try {
  const stack = await startLocalStack({ endpoints: servers.endpoints, prefix: 'fanout-' });
  const [{ batchPutAll }, { tableName }, { orderItem, clientItem }, { startRun, getRun }] = await Promise.all([
    import('../../lib/adapters/dynamodb/batch.js'),
    import('../../lib/config.js'),
    import('../../lib/use-cases/ingest.js'),
    import('../../lib/jobs/recalculation/runs.js'),
  ]);
  const receivedAt = new Date().toISOString();
  const ids = Array.from({ length: changes }, (_, i) => String(i).padStart(6, '0'));
  await batchPutAll(tableName('groups'), ids.map((id) => ({ groupId: `G-${id}`, name: `Group ${id}`, contacts: [`buyer-${id}@example.com`], locale: Number(id) % 2 ? 'en' : 'ru', version: 1 })));
  await batchPutAll(tableName('clients'), ids.map((id) => clientItem({ clientId: `C-${id}`, name: `Client ${id}`, groupId: `G-${id}`, version: 1 }, receivedAt)));
  await batchPutAll(
    tableName('orders'),
    ids.map((id) => orderItem({ orderId: `O-${id}`, clientId: `C-${id}`, date: '2026-11-01', amount: 6_000_000n, currency: 'RUB', status: 'completed', version: 1 } as never, receivedAt)),
  );
  await fetch(`${servers.endpoints.sesEndpoint}/clear-store`, { method: 'POST' });
  stack.startConsumers();

  const runStarted = performance.now();
  const { runId } = await startRun(asOf, 'benchmark');
  let run = await getRun(runId);
  while (run?.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 20));
    run = await getRun(runId);
  }
  const runSeconds = secondsSince(runStarted);
  const runDone = performance.now();
  let emails = 0;
  while (emails < changes) {
    const store = (await (await fetch(`${servers.endpoints.sesEndpoint}/store`)).json()) as { emails: unknown[] };
    emails = store.emails.length;
    if (emails < changes) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const lastEmailSeconds = secondsSince(runDone);
  await stack.close();
  const result = { changes, run: { status: run?.status, changed: run?.changed, seconds: runSeconds }, lastEmailAfterRunSeconds: lastEmailSeconds, emailsPerSecond: Math.round(changes / lastEmailSeconds) };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/fanout.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`run of ${changes} tier changes: ${runSeconds} s; all ${changes} emails in the SES store ${lastEmailSeconds} s after it completed`);
  console.log(`fanout_last_email_after_run_seconds=${lastEmailSeconds}`);
} finally {
  servers.stop();
}
process.exit(0);
