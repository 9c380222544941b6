/**
 * Child-process entry of the chaos suite: the local stack as `npm start` runs it — DynamoDB data under
 * DATA_DIR, SQS in memory, every consumer polling, and on start the recovery a crashed stack does (resume the
 * run in progress, publish again what the delivery ledger owes). Two differences, both so the suite stays
 * short and measurable: email goes to the suite's SES server (`CHAOS_SES_ENDPOINT`, which outlives every
 * kill, as SES does), and visibility timeouts are seconds, not minutes, so SQS retries happen within the run.
 * It reports its URL and endpoints over IPC and waits to be killed (-9), or exits when the suite is gone.
 */
import { resolve } from 'node:path';
import { startLocalStack } from '../../lib/local/stack.js';

const stack = await startLocalStack({
  port: Number(process.env.PORT),
  dataDir: resolve(process.env.DATA_DIR!),
  sesEndpoint: process.env.CHAOS_SES_ENDPOINT!,
  visibilityTimeoutSeconds: { recalcTasks: 10, tierEmails: 20, priceListUpdates: 8, emailSendEvents: 8 },
});
stack.startConsumers();
const recovery = await stack.recover();
process.send!({ url: stack.url, endpoints: stack.endpoints, env: stack.env, queues: stack.queues, recovery });
// Should the suite itself die, the stack goes with it (it runs in a process group of its own).
process.on('disconnect', () => process.exit(1));
