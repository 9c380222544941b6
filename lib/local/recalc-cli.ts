/**
 * `npm run recalc -- --as-of YYYY-MM-DD`: starts a recalculation on the running local stack through the
 * admin API, shows its progress and prints the run summary. `--run <runId>` follows an existing run.
 */
import { sleep } from '../concurrency.js';
import { apiBaseUrl, callApi, describeApiError, fail, parseCommandLine, USAGE_ERROR, type ApiAnswer } from './cli.js';
import { DEV_SECRETS } from './dev-secrets.js';

const NAME = 'recalc';
const COMMAND = 'npm run recalc --';

const { values } = parseCommandLine({
  name: NAME,
  command: COMMAND,
  options: { 'as-of': { type: 'string' }, run: { type: 'string' } },
  help: `
Usage: ${COMMAND} --as-of YYYY-MM-DD     start a recalculation as of that business date and follow it
       ${COMMAND} --run <runId>          follow a run that is already going

Prints the progress of the map and reduce shards, then the run summary. Exits 0 when the run succeeded,
1 when it failed or the API refused (e.g. 409: another date's run is in progress).

Environment:
  PORT         port of the local stack's API (default 3000)
  API_URL      full base URL instead (e.g. http://localhost:3100)
  ADMIN_TOKEN  the admin token the stack runs with (default: the dev token npm start prints)
`,
});
if (!values.run && !values['as-of']) fail(NAME, `give --as-of YYYY-MM-DD or --run <runId> (see ${COMMAND} --help)`, USAGE_ERROR);

const base = apiBaseUrl(NAME);
const headers = { authorization: `Bearer ${process.env.ADMIN_TOKEN || DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' };

async function call(path: string, init: RequestInit = {}): Promise<ApiAnswer['body']> {
  const answer = await callApi(NAME, base, path, { ...init, headers });
  if (answer.ok) return answer.body;
  const hint = answer.status === 401 ? '   (is ADMIN_TOKEN the admin token the stack runs with? npm start prints it)' : '';
  fail(NAME, `${init.method ?? 'GET'} ${path} → ${describeApiError(answer)}${hint}`);
}

let runId = values.run;
if (!runId) {
  const started = await call('/admin/recalculate', { method: 'POST', body: JSON.stringify({ asOf: values['as-of'] }) });
  runId = started.runId as string;
  console.log(`${started.alreadyRunning ? 'following the run already in progress' : 'started'} run ${runId}`);
}

const startedAt = Date.now();
let lastLine = '';
for (;;) {
  const run = await call(`/admin/runs/${encodeURIComponent(runId)}`);
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
