/**
 * `npm start`: the whole product on one machine. DynamoDB-, SQS- and SES-compatible servers, tables and
 * queues from the shared definitions, the HTTP API on PORT, the queue consumers and the nightly schedule;
 * data kept under DATA_DIR; Ctrl-C stops it. After a crash it picks up where it was: the run in progress
 * resumes and what the delivery ledger still owes is published again (the SQS server keeps no messages).
 */
import { resolve } from 'node:path';
import { loadProgramConfig, ProgramConfigError } from '../program/program-config.js';

const port = Number(process.env.PORT ?? 3000);
const sesPort = Number(process.env.SES_PORT ?? 8005);
const dataDir = resolve(process.env.DATA_DIR ?? '.data');

let timeZone: string;
try {
  timeZone = loadProgramConfig(process.env.PROGRAM_CONFIG || undefined).timeZone;
} catch (error) {
  if (error instanceof ProgramConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
for (const name of ['WEBHOOK_SECRET', 'API_TOKEN', 'ADMIN_TOKEN']) {
  const value = process.env[name];
  if (value !== undefined && value.length < 16) {
    console.error(`${name} must be at least 16 characters (or unset for the dev default)`);
    process.exit(1);
  }
}

// Loaded only now: the stack's modules read the program config as they load.
const { DEV_SECRETS, startLocalStack } = await import('./stack.js');
const stack = await startLocalStack({ port, dataDir, sesPort });
stack.startConsumers();
const recovery = await stack.recover();
const nextNightlyRun = stack.startSchedule();
const secretLine = (name: keyof typeof DEV_SECRETS) =>
  `  ${name}=${stack.env[name]}${stack.env[name] === DEV_SECRETS[name] ? '   (dev default)' : ''}`;
console.log(
  [
    'Wholesale tier engine: local stack is up',
    `  API            ${stack.url}   (GET ${stack.url}/health)`,
    `  Email viewer   ${stack.endpoints.sesEndpoint}   (sent emails as JSON: ${stack.endpoints.sesEndpoint}/store)`,
    `  DynamoDB       ${stack.endpoints.dynamodbEndpoint}   (data in ${dataDir})`,
    `  SQS            ${stack.endpoints.sqsEndpoint}   (consumers polling: recalc tasks, tier emails, price lists)`,
    `  Nightly run    next at ${nextNightlyRun?.toISOString()} (01:00 ${timeZone}), as of yesterday`,
    'Secrets in use (override with env vars):',
    secretLine('WEBHOOK_SECRET'),
    secretLine('API_TOKEN'),
    secretLine('ADMIN_TOKEN'),
    `  PROGRAM_CONFIG=${process.env.PROGRAM_CONFIG || '(default program)'}`,
    `  ERP_CALLBACK_URL=${process.env.ERP_CALLBACK_URL || '(unset: no ERP callbacks)'}`,
    ...(recovery.resumed
      ? [`Resumed run ${recovery.resumed.runId} (as of ${recovery.resumed.asOf}, ${recovery.resumed.phase} phase): ${recovery.resumed.requeued} shard tasks queued again`]
      : []),
    ...(recovery.republished > 0 ? [`Published again ${recovery.republished} owed deliveries (emails, price lists) the last run of the stack had not finished`] : []),
    'Ctrl-C stops it.',
  ].join('\n'),
);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local stack (queued messages get up to 10 s to be consumed)…`);
  await stack.close({ drainMs: 10_000 });
  console.log('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
