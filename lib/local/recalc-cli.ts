/**
 * `npm run recalc -- --as-of YYYY-MM-DD`: starts a recalculation on the running stack through the admin API,
 * shows its progress and prints the run summary. `--run <runId>` follows an existing run; `--resume <runId>`
 * re-queues a stuck run's unfinished shards now, then follows it. A run that shows no progress for
 * `--stall-seconds` (default 60) is reported with the command that resumes it, and the tool exits 3.
 * API_URL (default http://localhost:3000) and ADMIN_TOKEN (default: the dev token) pick the target.
 */
import { parseArgs } from 'node:util';
import { sleep } from '../concurrency.js';
import { callAdminApi } from './admin-client.js';

const USAGE = 'usage: npm run recalc -- --as-of YYYY-MM-DD | --run <runId> | --resume <runId>  [--stall-seconds 60]';
/** Exit code of a run that stopped making progress (1 is a failed run or call, 2 wrong usage). */
const STALLED = 3;

let values: { 'as-of'?: string; run?: string; resume?: string; 'stall-seconds'?: string };
try {
  ({ values } = parseArgs({ options: { 'as-of': { type: 'string' }, run: { type: 'string' }, resume: { type: 'string' }, 'stall-seconds': { type: 'string' } } }));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const stallSeconds = Number(values['stall-seconds'] ?? 60);
const chosen = [values['as-of'], values.run, values.resume].filter((value) => value !== undefined);
if (chosen.length !== 1 || !Number.isFinite(stallSeconds) || stallSeconds <= 0) {
  console.error(USAGE);
  process.exit(2);
}

let runId = values.run ?? values.resume;
if (values.resume) {
  const resumed = await callAdminApi(`/admin/runs/${encodeURIComponent(values.resume)}/resume`, { method: 'POST' });
  console.log(`resumed run ${runId} (${resumed.phase} phase): ${resumed.requeued} shard tasks queued again`);
} else if (!runId) {
  const started = await callAdminApi('/admin/recalculate', { method: 'POST', body: JSON.stringify({ asOf: values['as-of'] }) });
  runId = started.runId as string;
  console.log(`${started.alreadyRunning ? 'following the run already in progress' : 'started'} run ${runId}`);
}

const startedAt = Date.now();
let lastLine = '';
let lastProgressAt = Date.now();
for (;;) {
  const run = await callAdminApi(`/admin/runs/${encodeURIComponent(runId!)}`);
  const { phase, mapShardsDone, mapShards, reduceShardsDone, reduceShards } = run.progress;
  const line = `${run.status}: ${phase} — orders ${mapShardsDone}/${mapShards} shards, groups ${reduceShardsDone}/${reduceShards} shards`;
  if (line !== lastLine) {
    console.log(line);
    lastLine = line;
    lastProgressAt = Date.now();
  }
  if (run.status !== 'running') {
    console.log(`${JSON.stringify(run, null, 2)}\nfinished in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    process.exit(run.status === 'succeeded' ? 0 : 1);
  }
  if (Date.now() - lastProgressAt > stallSeconds * 1000) {
    console.error(`run ${runId} made no progress for ${stallSeconds} s: its tasks may be lost. Resume it now: npm run recalc -- --resume ${runId}`);
    process.exit(STALLED);
  }
  await sleep(500);
}
