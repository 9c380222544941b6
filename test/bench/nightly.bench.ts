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
import { addDays } from '../../lib/domain/business-date.js';
import { GROUP_SHARDS, ORDER_SHARDS, queues } from '../../lib/infra/resources.js';
import { startLocalStack, type LocalStack } from '../../lib/local/stack.js';
import { loadDataModules, nightlySize, rawParallelRead, seedNightlyData, type DataModules, type SeedOptions } from './support/nightly-data.js';
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
const size = nightlySize(scale);
const WORKER_CONCURRENCY = queues.recalcTasks.maxConcurrency;
// How often the run's progress is read: the observer's own requests should not weigh on the run it measures.
const POLL_MS = 100;
// The figures are the output: worker log lines and the metrics library's notices stay off the console.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

// Modules that build AWS clients read the environment the stack sets: import them after it.
type Modules = DataModules & Pick<typeof import('../../lib/jobs/recalculation/runs.js'), 'startRun' | 'getRun'>;
async function loadModules(): Promise<Modules> {
  const [data, { startRun, getRun }] = await Promise.all([loadDataModules(), import('../../lib/jobs/recalculation/runs.js')]);
  return { ...data, startRun, getRun };
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
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const scenarios = {
  base: { groups: size.groups, inWindow: size.inWindowOrders, older: size.olderOrders, dormantGroups: 0, olderDormant: 0 },
  doubled: { groups: size.groups, inWindow: size.inWindowOrders, older: size.olderOrders, dormantGroups: size.groups, olderDormant: size.olderOrders },
  windowDoubled: { groups: size.groups, inWindow: 2 * size.inWindowOrders, older: size.olderOrders, dormantGroups: 0, olderDormant: 0 },
};
type ScenarioName = keyof typeof scenarios;
type ScenarioResult = Awaited<ReturnType<typeof measure>>;
type ScenarioOptions = Omit<SeedOptions, 'asOf' | 'clientsPerGroup'>;

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

async function measure(name: string, endpoints: LocalStack['endpoints'], options: ScenarioOptions) {
  const stack = await startLocalStack({ endpoints, prefix: `${name}-` });
  const m = await loadModules();
  const seeded = await seedNightlyData(m, { asOf, clientsPerGroup: size.clientsPerGroup, ...options });
  console.log(`[${name}] seeded ${seeded.orders} orders, ${seeded.clients} clients in ${seeded.seconds} s`);
  stack.startConsumers();
  // The night before fills the group state, as production always has it; the measured run is the next night.
  const firstRun = await timedRun(m, addDays(asOf, -1));
  console.log(`[${name}] first run (empty state) ${firstRun.status}: ${firstRun.groups} groups, ${firstRun.changed} changes in ${firstRun.seconds} s`);
  const raw = await rawParallelRead(m, { from: addDays(asOf, -89), to: asOf, withLines: false }, WORKER_CONCURRENCY);
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
    windowDoubledNightlyVsRawRead: Math.round((windowDoubled.run.seconds / windowDoubled.raw.seconds) * 100) / 100,
    doubledHistoryAndDormantSlowdown: Math.round((doubled.run.seconds / base.run.seconds - 1) * 1000) / 1000,
    windowDoubledVsBase: Math.round((windowDoubled.run.seconds / base.run.seconds) * 100) / 100,
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/nightly.json', `${JSON.stringify(result, null, 2)}\n`);
  const slowdown = result.doubledHistoryAndDormantSlowdown * 100;
  console.log(`doubled old history + dormant groups: run ${doubled.run.seconds} s vs ${base.run.seconds} s (${Math.abs(slowdown).toFixed(1)}% ${slowdown < 0 ? 'faster' : 'slower'})`);
  console.log(`twice the in-window orders: run ${windowDoubled.run.seconds} s, ${result.windowDoubledVsBase}× the base run (linear would be 2×; the raw read itself took ${Math.round((windowDoubled.raw.seconds / base.raw.seconds) * 100) / 100}×)`);
  console.log(`run ÷ raw read of its own data set: base ${result.nightlyVsRawRead}, doubled history + dormant ${result.doubledNightlyVsRawRead}, twice the window ${result.windowDoubledNightlyVsRawRead}`);
  console.log(`nightly_vs_raw_read=${result.nightlyVsRawRead}`);
}
process.exit(0);
