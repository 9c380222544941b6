/**
 * `npm run bench:simulate [-- --scale F]`: seeds the nightly benchmark's data set (with a master record per
 * group, as the ERP sends them) on local servers of its own, then times, through the recalc queue and its
 * worker, a what-if simulation of a candidate program (bronze from 40,000 ₽ at 3%, GROHE counting double)
 * against a raw parallel read of the window it reads, and the dormant report against a raw parallel read
 * of its 365 days of orders. Writes bench-results/simulate.json; prints `report_vs_raw_read=<ratio>`, then
 * `simulate_vs_raw_read=<ratio>` last.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { addDays } from '../../lib/domain/business-date.js';
import { queues } from '../../lib/infra/resources.js';
import defaultProgram from '../../lib/program/default-program.json' with { type: 'json' };
import { loadDataModules, nightlySize, rawParallelRead, seedNightlyData } from './support/nightly-data.js';
import { secondsSince, startServersProcess } from './support/servers.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, 'as-of': { type: 'string', default: '2026-11-21' } } });
const scale = Number(values.scale);
const asOf = values['as-of']!;
const size = nightlySize(scale);
const WORKER_CONCURRENCY = queues.recalcTasks.maxConcurrency;
// The figures are the output: log lines and the metrics library's notices stay off the console (set before
// the modules that build the logger are imported).
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const { startLocalStack } = await import('../../lib/local/stack.js');
// Only the recalc queue is consumed: nothing is published by these jobs.
for (const key of ['tierEmails', 'priceListUpdates'] as const) (queues[key] as { maxConcurrency: number }).maxConcurrency = 0;

function candidateProgram() {
  const program = structuredClone(defaultProgram) as typeof defaultProgram & { qualifying?: unknown };
  program.tiers[1]!.threshold = '40000';
  program.tiers[1]!.discountPercent = 3;
  program.qualifying = { brandMultipliers: { GROHE: 2 } };
  return program;
}

const servers = await startServersProcess();
try {
  const stack = await startLocalStack({ endpoints: servers.endpoints, prefix: 'simulate-' });
  const m = await loadDataModules();
  const [{ getJob }, { startSimulation }, { startReport }, { parseProgramConfig }] = await Promise.all([
    import('../../lib/adapters/dynamodb/jobs.js'),
    import('../../lib/jobs/simulation/simulations.js'),
    import('../../lib/jobs/dormant-report/reports.js'),
    import('../../lib/program/program-config.js'),
  ]);
  const seeded = await seedNightlyData(m, {
    asOf,
    clientsPerGroup: size.clientsPerGroup,
    groups: size.groups,
    inWindow: size.inWindowOrders,
    older: size.olderOrders,
    dormantGroups: 0,
    olderDormant: 0,
    groupRecords: true,
  });
  console.log(`seeded ${seeded.orders} orders, ${seeded.clients} clients, ${seeded.groups} groups in ${seeded.seconds} s`);
  stack.startConsumers();

  /** Waits for a job to finish; its wall time from the start call. */
  const timed = async (start: () => Promise<string>) => {
    const started = performance.now();
    const jobId = await start();
    for (;;) {
      const job = await getJob(jobId);
      if (job && job.status !== 'running') {
        const seconds = secondsSince(started);
        if (job.status !== 'succeeded') throw new Error(`${jobId} ${job.status}: ${job.error}`);
        return { jobId, seconds, summary: job.summary as Record<string, unknown>, resultRows: job.resultPages?.rows ?? 0 };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  // The simulation reads the program window, with the lines (the candidate weighs GROHE).
  const simulationRaw = await rawParallelRead(m, { from: addDays(asOf, -89), to: asOf, withLines: true }, WORKER_CONCURRENCY);
  console.log(`raw parallel read: ${simulationRaw.items} orders of the 90-day window, with lines, in ${simulationRaw.seconds} s`);
  const simulation = await timed(async () => (await startSimulation(asOf, parseProgramConfig(candidateProgram()))).simulationId);
  const { groups, moves, discountCost } = simulation.summary as { groups: number; moves: { up: number; down: number }; discountCost: { delta: string } };
  console.log(`simulation: ${groups} groups, ${moves.up} up, ${moves.down} down, ${simulation.resultRows} movers, cost delta ${discountCost.delta} in ${simulation.seconds} s`);

  // The dormant report reads 365 days (the default program weighs no brand: no lines).
  const reportRaw = await rawParallelRead(m, { from: addDays(asOf, -364), to: asOf, withLines: false }, WORKER_CONCURRENCY);
  console.log(`raw parallel read: ${reportRaw.items} orders of the 365 days in ${reportRaw.seconds} s`);
  const report = await timed(async () => (await startReport('dormant', asOf)).reportId);
  console.log(`dormant report: ${report.resultRows} rows, win-back ${JSON.stringify(report.summary.winBack)} in ${report.seconds} s`);

  await stack.close();
  const result = {
    scale,
    size,
    workerConcurrency: WORKER_CONCURRENCY,
    seeded,
    simulation: { raw: simulationRaw, seconds: simulation.seconds, groups, movers: simulation.resultRows },
    report: { raw: reportRaw, seconds: report.seconds, rows: report.resultRows },
    simulateVsRawRead: Math.round((simulation.seconds / simulationRaw.seconds) * 100) / 100,
    reportVsRawRead: Math.round((report.seconds / reportRaw.seconds) * 100) / 100,
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/simulate.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`report_vs_raw_read=${result.reportVsRawRead}`);
  console.log(`simulate_vs_raw_read=${result.simulateVsRawRead}`);
} finally {
  servers.stop();
}
process.exit(0);
