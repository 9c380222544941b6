/**
 * `npm run recalc -- --as-of YYYY-MM-DD`: starts a recalculation on the running local stack through the
 * admin API, shows its progress and prints the run summary. `--run <runId>` follows an existing run.
 */
import { adminApi } from './admin-api.js';
import { fail, parseCommandLine, USAGE_ERROR } from './cli.js';

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

const { call, follow } = adminApi(NAME);

let runId = values.run;
if (!runId) {
  const started = await call('/admin/recalculate', { method: 'POST', body: JSON.stringify({ asOf: values['as-of'] }) });
  runId = started.runId as string;
  console.log(`${started.alreadyRunning ? 'following the run already in progress' : 'started'} run ${runId}`);
}

const startedAt = Date.now();
const run = await follow(`/admin/runs/${encodeURIComponent(runId)}`, (line) => console.log(line));
console.log(`${JSON.stringify(run, null, 2)}\nfinished in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
process.exit(run.status === 'succeeded' ? 0 : 1);
