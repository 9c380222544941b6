/**
 * `npm start`: the whole product on one machine. DynamoDB-, SQS- and SES-compatible servers, tables and
 * queues from the shared definitions, the HTTP API on PORT, the queue consumers and the nightly schedule;
 * data kept under DATA_DIR; Ctrl-C stops it. After a crash it picks up where it was: the run in progress
 * resumes and what the delivery ledger still owes is published again (the SQS server keeps no messages).
 */
import { resolve } from 'node:path';
import { writeConsolePage } from '../console/build.js';
import { loadProgramConfig, ProgramConfigError } from '../program/program-config.js';
import { checkPortsFree, lockDataDir, portFromEnv, StartupError, type DataDirLock } from './preflight.js';

/** Ends the start with the one line that says what is wrong. */
function stopStarting(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

let port: number;
let sesPort: number;
let timeZone: string;
let dataDirLock: DataDirLock;
const dataDir = resolve(process.env.DATA_DIR || '.data');
try {
  port = portFromEnv('PORT', 3000);
  sesPort = portFromEnv('SES_PORT', 8005);
  timeZone = loadProgramConfig(process.env.PROGRAM_CONFIG || undefined).timeZone;
  for (const name of ['WEBHOOK_SECRET', 'API_TOKEN', 'ADMIN_TOKEN']) {
    const value = process.env[name];
    if (value !== undefined && value.length < 16) throw new StartupError(`${name} must be at least 16 characters (or unset for the dev default)`);
  }
  await checkPortsFree([
    { envVar: 'PORT', port, what: 'the HTTP API' },
    { envVar: 'SES_PORT', port: sesPort, what: 'the SES server and email viewer' },
  ]);
  dataDirLock = lockDataDir(dataDir);
} catch (error) {
  if (error instanceof StartupError || error instanceof ProgramConfigError) stopStarting(error.message);
  throw error;
}
process.on('exit', () => dataDirLock.release());

// People read these logs: one line per event (LOG_FORMAT=json for the JSON lines Lambda writes).
process.env.LOG_FORMAT ||= 'text';
// No CloudWatch here to read embedded metrics from (POWERTOOLS_METRICS_DISABLED=false prints them).
process.env.POWERTOOLS_METRICS_DISABLED ||= 'true';
// The console page the GET /console function serves, built from lib/console/src (about 100 ms).
writeConsolePage();

// Loaded only now: the stack's modules read the program config and the log format as they load.
const { DEV_SECRETS, startLocalStack } = await import('./stack.js');
const stack = await startLocalStack({ port, dataDir, sesPort }).catch((error: NodeJS.ErrnoException) => {
  // The checks above ran a moment ago; another program may have taken a port since.
  stopStarting(error.code === 'EADDRINUSE' ? `a port was taken while starting (${error.message}); start again` : `the local stack failed to start: ${error.message}`);
});
stack.startConsumers();
const recovery = await stack.recover();
const nextNightlyRun = stack.startSchedule();
const secretLine = (name: keyof typeof DEV_SECRETS) =>
  `  ${name}=${stack.env[name]}${stack.env[name] === DEV_SECRETS[name] ? '   (dev default)' : ''}`;
console.log(
  [
    'Wholesale tier engine: local stack is up',
    `  API            ${stack.url}   (GET ${stack.url}/health)`,
    `  Console        ${stack.url}/console   (sign in with ADMIN_TOKEN)`,
    `  Email viewer   ${stack.endpoints.sesEndpoint}   (sent emails as JSON: ${stack.endpoints.sesEndpoint}/store)`,
    `  DynamoDB       ${stack.endpoints.dynamodbEndpoint}   (data in ${dataDir})`,
    `  SQS            ${stack.endpoints.sqsEndpoint}   (consumers polling: recalc tasks, tier emails, price lists, SES send events)`,
    `  Nightly run    next at ${nextNightlyRun?.toISOString()} (01:00 ${timeZone}), as of yesterday`,
    'Secrets in use (override with env vars):',
    secretLine('WEBHOOK_SECRET'),
    secretLine('API_TOKEN'),
    secretLine('ADMIN_TOKEN'),
    `  PROGRAM_CONFIG=${process.env.PROGRAM_CONFIG || '(default program)'}`,
    `  ERP_CALLBACK_URL=${process.env.ERP_CALLBACK_URL || '(unset: no ERP callbacks)'}`,
    ...recovery.resumed.map(({ jobId, kind, asOf, phase, requeued }) => `Resumed ${kind} ${jobId} (as of ${asOf}, ${phase} phase): ${requeued} tasks queued again`),
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
  dataDirLock.release();
  console.log('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
