import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '../concurrency.js';
import { routes } from '../infra/routes.js';
import { createHttpGateway, loadFunctionHandler, type HttpHandler } from './http-gateway.js';
import { CONCURRENT_INVOCATIONS_ENV } from './lambda-context.js';
import { queues, type QueueDefinition, type QueueKey } from '../infra/resources.js';
import { provisionQueues, provisionTables, type ProvisionedQueue } from './provision.js';
import { startQueuePoller, type SqsHandler } from './queue-poller.js';
import { startNightlySchedule } from './scheduler.js';
import type { Cron } from 'croner';
import { startLocalServers, type LocalServers } from './servers.js';
import { startSesSendEventForwarder } from './ses-send-events.js';
import { DEV_SECRETS } from './dev-secrets.js';

export { DEV_SECRETS };


export interface LocalStackOptions {
  port?: number;
  /** DynamoDB data directory; omitted, data lives in memory. */
  dataDir?: string;
  sesPort?: number;
  /** Send email through this SES-compatible server instead of starting one. */
  sesEndpoint?: string;
  /** Prefix of table and queue names (tests give each file its own). */
  prefix?: string;
  /** Shorter visibility timeouts for tests that watch retries and redrive happen. */
  visibilityTimeoutSeconds?: Partial<Record<QueueKey, number>>;
  /** Reuse servers someone else started (the test setup) instead of starting new ones. */
  endpoints?: Pick<LocalServers, 'dynamodbEndpoint' | 'sqsEndpoint' | 'sesEndpoint'>;
}

export interface LocalStack {
  url: string;
  endpoints: Pick<LocalServers, 'dynamodbEndpoint' | 'sqsEndpoint' | 'sesEndpoint'>;
  /** Environment the functions run with: endpoints, table names, queue URLs, secrets. */
  env: Record<string, string>;
  queues: Record<QueueKey, ProvisionedQueue>;
  /** Starts polling every queue into its consumer function, as Lambda event sources do. */
  startConsumers(): void;
  /** Starts the nightly schedule (01:00 in the program time zone, D = yesterday); returns its next run. */
  startSchedule(): Date | null;
  /**
   * After a restart: the local SQS server lost every queued message, so resume every job still running
   * (a recalculation, a simulation, a report) and publish again everything the delivery ledger still owes.
   */
  recover(): Promise<RecoveryReport>;
  /**
   * Stops everything. With `drainMs`, the consumers first work off what is queued (for at most that long):
   * the local SQS server keeps messages in memory only, so what is still queued at exit is lost.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

/** What `recover()` found and did. */
export interface RecoveryReport {
  /** The jobs it resumed, with how many tasks each got queued again. */
  resumed: { jobId: string; kind: string; asOf: string; phase: string; requeued: number }[];
  republished: number;
}

/** The configuration set local emails are sent through; the local SES front takes any name. */
const LOCAL_CONFIGURATION_SET = 'tier-engine-local';

/** Credentials and region the local servers accept (they check neither). */
const LOCAL_SDK_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
} as const;

/**
 * Points the AWS SDK of this process at the local servers and names the tables and queues, the way
 * Lambda's environment does in AWS. Must run before any AWS client module is loaded.
 */
function applyLocalEnvironment(endpoints: LocalStack['endpoints'], names: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {
    ...LOCAL_SDK_ENV,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: endpoints.sqsEndpoint,
    AWS_ENDPOINT_URL_SES: endpoints.sesEndpoint,
    // The SES front publishes Send events only for sends through a configuration set, as SES does.
    SES_CONFIGURATION_SET: LOCAL_CONFIGURATION_SET,
    ...names,
  };
  for (const [key, value] of Object.entries(DEV_SECRETS)) env[key] = process.env[key] || value;
  Object.assign(process.env, env);
  return env;
}

/** Starts (or joins) the local servers, creates tables and queues, and serves the HTTP API. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  // This process runs every function, invocations overlapping; a function's own environment (`env`) does not say so.
  Object.assign(process.env, LOCAL_SDK_ENV, CONCURRENT_INVOCATIONS_ENV);
  const servers = options.endpoints
    ? undefined
    : await startLocalServers({ dataDir: options.dataDir, sesPort: options.sesPort, ...(options.sesEndpoint ? { sesEndpoint: options.sesEndpoint } : {}) });
  const endpoints = options.endpoints ?? servers!;
  const prefix = options.prefix ?? '';
  const tableEnv = await provisionTables(endpoints.dynamodbEndpoint, prefix);
  const queueSetup = await provisionQueues(endpoints.sqsEndpoint, prefix, options.visibilityTimeoutSeconds);
  const env = applyLocalEnvironment(endpoints, { ...tableEnv, ...queueSetup.env });

  const pollers: { stop(): Promise<void> }[] = [];
  let schedule: Cron | undefined;
  const sqsForConsumers = new SQSClient({ endpoint: endpoints.sqsEndpoint });
  const probes = { dynamodb: new DynamoDBClient({ endpoint: endpoints.dynamodbEndpoint }), sqs: new SQSClient({ endpoint: endpoints.sqsEndpoint }) };
  const handlers = new Map<string, Promise<HttpHandler>>();
  const gateway: Server = createHttpGateway({
    routes,
    loadHandler: (name) => {
      if (!handlers.has(name)) handlers.set(name, loadFunctionHandler(name));
      return handlers.get(name)!;
    },
    health: async () => ({
      dynamodb: await succeeds(() => probes.dynamodb.send(new ListTablesCommand({ Limit: 1 }))),
      sqs: await succeeds(() => probes.sqs.send(new ListQueuesCommand({}))),
      ses: await succeeds(async () => {
        if (!(await fetch(`${endpoints.sesEndpoint}/store?since=${Math.floor(Date.now() / 1000)}`)).ok) throw new Error('SES store');
      }),
      api: gateway.listening,
    }),
  });
  await new Promise<void>((resolve, reject) => {
    gateway.once('error', reject);
    gateway.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  return {
    url,
    endpoints,
    env,
    queues: queueSetup.queues as Record<QueueKey, ProvisionedQueue>,
    startConsumers: () => {
      if (pollers.length > 0) return;
      for (const [key, definition] of Object.entries(queues) as [QueueKey, QueueDefinition][]) {
        const queue = queueSetup.queues[key]!;
        pollers.push(
          startQueuePoller(sqsForConsumers, {
            queueUrl: queue.url,
            queueArn: queue.arn,
            functionName: definition.consumer,
            handler: async (event, context) => (await loadFunctionHandler<SqsHandler>(definition.consumer))(event, context),
            batchSize: definition.batchSize,
            concurrency: definition.maxConcurrency,
            timeoutSeconds: definition.consumerTimeoutSeconds,
          }),
        );
      }
      // SNS's part on AWS: SES's Send events into their queue.
      pollers.push(startSesSendEventForwarder(endpoints.sesEndpoint, sqsForConsumers, queueSetup.queues.emailSendEvents!.url));
    },
    startSchedule: () => {
      schedule ??= startNightlySchedule();
      return schedule.nextRun();
    },
    recover: async () => {
      // Loaded only now: these modules read the table and queue names from the environment set above.
      const [{ resumeEveryUnfinishedJob }, { sweepOwedDeliveries }] = await Promise.all([import('../jobs/worker.js'), import('../delivery/sweep.js')]);
      const resumed = await resumeEveryUnfinishedJob();
      const { republished } = await sweepOwedDeliveries(0);
      return { resumed, republished };
    },
    close: async ({ drainMs = 0 } = {}) => {
      schedule?.stop();
      await new Promise<void>((resolve) => {
        gateway.close(() => resolve());
        gateway.closeAllConnections();
      });
      if (pollers.length > 0 && drainMs > 0) await drainQueues(sqsForConsumers, Object.values(queueSetup.queues).map((queue) => queue!.url), drainMs);
      await Promise.all(pollers.map((poller) => poller.stop()));
      sqsForConsumers.destroy();
      probes.dynamodb.destroy();
      probes.sqs.destroy();
      await servers?.close();
    },
  };
}

async function succeeds(probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch {
    return false;
  }
}

/** Waits until no queue holds a message (visible or in flight), or until `limitMs` has passed. */
async function drainQueues(sqs: SQSClient, queueUrls: string[], limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const counts = await Promise.all(
      queueUrls.map(async (QueueUrl) => {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
        );
        return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      }),
    );
    if (counts.every((count) => count === 0)) return;
    await sleep(200);
  }
}
