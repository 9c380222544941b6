/**
 * `npm run redrive -- <queue>`: moves the messages of a queue's dead-letter queue back to the queue (SQS
 * StartMessageMoveTask, through the admin API of the running stack or of a deployment) and reports how
 * many moved.
 */
import { sleep } from '../concurrency.js';
import { adminApi } from './admin-api.js';
import { fail, parseCommandLine } from './cli.js';

const NAME = 'redrive';
const COMMAND = 'npm run redrive --';
/** How long to follow the move before reporting it as still running. */
const WAIT_MS = 120_000;

const { positionals } = parseCommandLine({
  name: NAME,
  command: COMMAND,
  options: {},
  positionals: { min: 1, max: 1 },
  help: `
Usage: ${COMMAND} <queue>     recalc-tasks | tier-emails | price-list-updates | email-send-events (or its -dlq)

Moves every message of the queue's dead-letter queue back to the queue and says how many moved. Use it once
the cause of the failures is fixed (see the runbook in the README). Exits 0 when the move completed, 1
otherwise.

Environment:
  PORT         port of the local stack's API (default 3000)
  API_URL      full base URL instead (e.g. the API of a deployment)
  ADMIN_TOKEN  the admin token (default: the dev token npm start prints)
`,
});
const [queue] = positionals as [string];
const { call } = adminApi(NAME);

const path = `/admin/queues/${encodeURIComponent(queue)}/redrive`;
const started = await call(path, { method: 'POST' });
console.log(
  started.started
    ? `moving ${started.redrive?.toMove ?? started.inDeadLetterQueue} message(s) from ${started.deadLetterQueue} back to ${started.queue}…`
    : `a move from ${started.deadLetterQueue} is already running; following it…`,
);
const deadline = Date.now() + WAIT_MS;
let status = started;
while (status.redrive?.status === 'RUNNING' && Date.now() < deadline) {
  await sleep(500);
  status = await call(path);
}
const redrive = status.redrive;
if (redrive?.status === 'COMPLETED') {
  console.log(`moved ${redrive.moved} message(s) from ${status.deadLetterQueue} to ${status.queue}; ${status.inDeadLetterQueue} left in the dead-letter queue`);
  process.exit(0);
}
fail(
  NAME,
  `move from ${status.deadLetterQueue}: ${redrive?.status ?? 'not started'}, ${redrive?.moved ?? 0} of ${redrive?.toMove ?? '?'} moved` +
    `${redrive?.failureReason ? ` (${redrive.failureReason})` : ''}${redrive?.status === 'RUNNING' ? `; check again: ${COMMAND} ${queue}` : ''}`,
);
