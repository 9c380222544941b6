/**
 * `npm run recalc -- --as-of YYYY-MM-DD`: starts a recalculation on the running local stack through the
 * admin API, shows its progress and prints the run summary. `--run <runId>` follows an existing run.
 * API_URL (default http://localhost:3000) and ADMIN_TOKEN (default: the dev token) pick the target.
 */
import { parseArgs } from 'node:util';
import { sleep } from '../concurrency.js';
import { DEV_SECRETS } from './stack.js';

const { values } = parseArgs({ options: { 'as-of': { type: 'string' }, run: { type: 'string' } } });
const apiUrl = process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const headers = { authorization: `Bearer ${process.env.ADMIN_TOKEN || DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' };

async function call(path: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(`${apiUrl}${path}`, { ...init, headers });
  const body = await response.json();
  if (!response.ok) {
    console.error(`${init.method ?? 'GET'} ${path} → ${response.status}`, JSON.stringify(body));
    process.exit(1);
  }
  return body;
}

let runId = values.run;
if (!runId) {
  if (!values['as-of']) {
    console.error('usage: npm run recalc -- --as-of YYYY-MM-DD   |   npm run recalc -- --run <runId>');
    process.exit(2);
  }
  const started = await call('/admin/recalculate', { method: 'POST', body: JSON.stringify({ asOf: values['as-of'] }) });
  runId = started.runId as string;
  console.log(`${started.alreadyRunning ? 'following the run already in progress' : 'started'} run ${runId}`);
}

const startedAt = Date.now();
let lastLine = '';
for (;;) {
  const run = await call(`/admin/runs/${runId}`);
  const { phase, mapShardsDone, mapShards, reduceShardsDone, reduceShards } = run.progress;
  const line = `${run.status}: ${phase} — orders ${mapShardsDone}/${mapShards} shards, groups ${reduceShardsDone}/${reduceShards} shards`;
  if (line !== lastLine) console.log(line);
  lastLine = line;
  if (run.status !== 'running') {
    console.log(`${JSON.stringify(run, null, 2)}\nfinished in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    process.exit(run.status === 'succeeded' ? 0 : 1);
  }
  await sleep(500);
}
