/**
 * `npm run redrive -- <queue>`: moves the messages of a queue's dead-letter queue back to the queue (SQS
 * StartMessageMoveTask, through the admin API of the running stack or of AWS) and reports how many moved.
 * `<queue>` is `recalc-tasks`, `tier-emails` or `price-list-updates` (or its `-dlq`). API_URL and
 * ADMIN_TOKEN pick the target, as for `npm run recalc`.
 */
import { sleep } from '../concurrency.js';
import { callAdminApi } from './admin-client.js';

/** How long to wait for the move to finish before reporting it as still running. */
const WAIT_MS = 120_000;

const [queue, ...extra] = process.argv.slice(2);
if (!queue || extra.length > 0 || queue.startsWith('-')) {
  console.error('usage: npm run redrive -- <queue>   (recalc-tasks | tier-emails | price-list-updates)');
  process.exit(2);
}

const path = `/admin/queues/${encodeURIComponent(queue)}/redrive`;
const started = await callAdminApi(path, { method: 'POST' });
console.log(
  started.started
    ? `moving ${started.redrive?.toMove ?? started.inDeadLetterQueue} message(s) from ${started.deadLetterQueue} back to ${started.queue}…`
    : `a move from ${started.deadLetterQueue} is already running; following it…`,
);
const deadline = Date.now() + WAIT_MS;
let status = started;
while (status.redrive?.status === 'RUNNING' && Date.now() < deadline) {
  await sleep(500);
  status = await callAdminApi(path);
}
const redrive = status.redrive;
if (redrive?.status === 'COMPLETED') {
  console.log(`moved ${redrive.moved} message(s) from ${status.deadLetterQueue} to ${status.queue}; ${status.inDeadLetterQueue} left in the dead-letter queue`);
  process.exit(0);
}
console.error(
  `move from ${status.deadLetterQueue}: ${redrive?.status ?? 'not started'}, ${redrive?.moved ?? 0} of ${redrive?.toMove ?? '?'} moved` +
    `${redrive?.failureReason ? ` (${redrive.failureReason})` : ''}${redrive?.status === 'RUNNING' ? '; check again: npm run redrive -- ' + queue : ''}`,
);
process.exit(1);
