/**
 * `npm run recalc -- --as-of YYYY-MM-DD`: starts a recalculation on the running stack through the admin API,
 * shows its progress and prints the run summary. `--run <runId>` follows an existing run; `--resume <runId>`
 * re-queues a stuck run's unfinished shards now, then follows it. A run that shows no progress for
 * `--stall-seconds` (default 60) is reported with the command that resumes it, and the tool exits 3.
 */
import { adminApi } from './admin-api.js';
import { fail, parseCommandLine, USAGE_ERROR } from './cli.js';

const NAME = 'recalc';
const COMMAND = 'npm run recalc --';
/** Exit code of a run that stopped making progress (1: it failed or the API refused; 2: wrong usage). */
const STALLED = 3;

const { values } = parseCommandLine({
  name: NAME,
  command: COMMAND,
  options: { 'as-of': { type: 'string' }, run: { type: 'string' }, resume: { type: 'string' }, 'stall-seconds': { type: 'string' } },
  help: `
Usage: ${COMMAND} --as-of YYYY-MM-DD     start a recalculation as of that business date and follow it
       ${COMMAND} --run <runId>          follow a run that is already going
       ${COMMAND} --resume <runId>       re-queue a stuck run's unfinished shards now, then follow it
Options:
       --stall-seconds <n>   give up following a run that shows no progress for n seconds (default 60)

Prints the progress of the map and reduce shards, then the run summary. Exits 0 when the run succeeded,
1 when it failed or the API refused (e.g. 409: another date's run is in progress; 422: a date after
today), 3 when the run made no progress for --stall-seconds (the message says how to resume it).

Environment:
  PORT         port of the local stack's API (default 3000)
  API_URL      full base URL instead (e.g. http://localhost:3100, or the API of a deployment)
  ADMIN_TOKEN  the admin token the stack runs with (default: the dev token npm start prints)
`,
});
const chosen = [values['as-of'], values.run, values.resume].filter((value) => value !== undefined);
if (chosen.length !== 1) fail(NAME, `give one of --as-of YYYY-MM-DD, --run <runId> or --resume <runId> (see ${COMMAND} --help)`, USAGE_ERROR);
const stallSeconds = Number(values['stall-seconds'] ?? 60);
if (!Number.isFinite(stallSeconds) || stallSeconds <= 0) fail(NAME, `--stall-seconds must be a number of seconds above 0 (see ${COMMAND} --help)`, USAGE_ERROR);

const { call, follow } = adminApi(NAME);

let runId = values.run ?? values.resume;
if (values.resume) {
  const resumed = await call(`/admin/runs/${encodeURIComponent(values.resume)}/resume`, { method: 'POST' });
  console.log(`resumed run ${runId} (${resumed.phase} phase): ${resumed.requeued} shard tasks queued again`);
} else if (!runId) {
  const started = await call('/admin/recalculate', { method: 'POST', body: JSON.stringify({ asOf: values['as-of'] }) });
  runId = started.runId as string;
  console.log(`${started.alreadyRunning ? 'following the run already in progress' : 'started'} run ${runId}`);
}

const startedAt = Date.now();
const run = await follow(`/admin/runs/${encodeURIComponent(runId!)}`, (line) => console.log(line), {
  stallSeconds,
  onStall: () => fail(NAME, `run ${runId} made no progress for ${stallSeconds} s: its tasks may be lost. Resume it now: npm run recalc -- --resume ${runId}`, STALLED),
});
console.log(`${JSON.stringify(run, null, 2)}\nfinished in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
process.exit(run.status === 'succeeded' ? 0 : 1);
