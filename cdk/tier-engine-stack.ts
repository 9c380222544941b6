import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { functions, type FunctionDefinition } from '../lib/infra/functions.js';
import { deadLetterQueueName, queues, type QueueDefinition, type QueueKey } from '../lib/infra/resources.js';
import { routes } from '../lib/infra/routes.js';
import { AppSecrets } from './constructs/app-secrets.js';
import { DataTables } from './constructs/data-tables.js';
import { grantDeclaredAccess } from './constructs/declared-access.js';
import { EmailSendEvents } from './constructs/email-send-events.js';
import { Monitoring } from './constructs/monitoring.js';
import { NightlySchedule } from './constructs/nightly-schedule.js';
import { TierEngineApi } from './constructs/tier-engine-api.js';
import { METRICS_NAMESPACE, SERVICE_NAME, TierFunction } from './constructs/tier-function.js';
import { WorkQueues } from './constructs/work-queues.js';
import type { DeployedProgram } from './program-source.js';

/** The function EventBridge Scheduler invokes every night. */
export const SCHEDULED_FUNCTION = 'recalc-scheduled';
/** The function whose errors page someone. */
export const RECALC_WORKER_FUNCTION = 'recalc-worker';
/** A consumer's visibility timeout must cover this many of its timeouts (AWS guidance for SQS event sources). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** The deployment's settings: validated program config and CDK context. */
export interface TierEngineStackProps extends StackProps {
  /** Validated program; its JSON goes to every function, its time zone to the schedule. */
  readonly program: DeployedProgram;
  /** From address of tier emails (context `senderAddress`); must be, or be in a domain, verified in SES. */
  readonly senderAddress: string;
  /** DynamoDB deletion protection (context `deletionProtection`). */
  readonly deletionProtection: boolean;
  /** Subscribed to the alarm topic (context `alarmEmail`). */
  readonly alarmEmail?: string;
  /** ERP endpoint the price-list consumer calls back (context `erpCallbackUrl`); unset, no callback. */
  readonly erpCallbackUrl?: string;
  /** Repository root: handlers are `<root>/functions/<name>.ts`, dependencies come from `<root>/package-lock.json`. */
  readonly projectRoot: string;
}

/**
 * The whole system in AWS, wired from lib/infra: tables and queues from resources.ts, one function per entry
 * of functions.ts with exactly its declared access, the HTTP API from routes.ts, the nightly schedule, the
 * secret, alarms and a dashboard.
 */
export class TierEngineStack extends Stack {
  readonly functions: ReadonlyMap<string, TierFunction>;

  constructor(scope: Construct, id: string, props: TierEngineStackProps) {
    super(scope, id, props);

    const data = new DataTables(this, 'Tables', { deletionProtection: props.deletionProtection });
    const work = new WorkQueues(this, 'Queues');
    const secrets = new AppSecrets(this, 'Secrets');
    const emailSendEvents = new EmailSendEvents(this, 'EmailSendEvents', { queue: work.byKey.emailSendEvents.queue });

    const byName = new Map<string, TierFunction>();
    for (const definition of functions) {
      const fn = new TierFunction(this, definition.name, {
        definition,
        entry: handlerEntry(props.projectRoot, definition),
        projectRoot: props.projectRoot,
        environment: {
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          PROGRAM_CONFIG_JSON: props.program.json,
        },
      });
      grantDeclaredAccess(fn, {
        tables: data.byKey,
        queues: mapValues(work.byKey, (entry) => entry.queue),
        deadLetterQueues: mapValues(work.byKey, (entry) => entry.deadLetterQueue),
        secret: secrets.secret,
        senderAddress: props.senderAddress,
        configurationSetName: emailSendEvents.configurationSet.configurationSetName,
      });
      byName.set(definition.name, fn);
    }
    this.functions = byName;
    const functionNamed = (name: string): TierFunction => {
      const fn = byName.get(name);
      if (!fn) throw new Error(`lib/infra names function "${name}", which lib/infra/functions.ts does not define`);
      return fn;
    };

    for (const [key, definition] of Object.entries(queues) as [QueueKey, QueueDefinition][]) {
      const consumer = functionNamed(definition.consumer);
      assertVisibilityCoversConsumer(definition, consumer.definition);
      consumer.function.addEventSource(
        new SqsEventSource(work.byKey[key].queue, {
          batchSize: definition.batchSize,
          maxConcurrency: definition.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
    }
    if (props.erpCallbackUrl) {
      functionNamed(queues.priceListUpdates.consumer).addEnvironment('ERP_CALLBACK_URL', props.erpCallbackUrl);
    }

    const api = new TierEngineApi(this, 'Api', { routes, functionFor: (name) => functionNamed(name).function });
    const nightly = new NightlySchedule(this, 'Nightly', {
      target: functionNamed(SCHEDULED_FUNCTION).function,
      timeZone: props.program.program.timeZone,
    });

    const monitoring = new Monitoring(this, 'Monitoring', {
      deadLetterQueues: [
        ...Object.values(work.byKey).map((entry) => ({ name: deadLetterQueueName(entry.definition), queue: entry.deadLetterQueue })),
        { name: 'nightly-schedule-dlq', queue: nightly.deadLetterQueue },
      ],
      workQueues: Object.values(work.byKey).map((entry) => ({ name: entry.definition.name, queue: entry.queue })),
      functions: new Map([...byName].map(([name, fn]) => [name, fn.function])),
      recalcWorker: functionNamed(RECALC_WORKER_FUNCTION).function,
      api: api.httpApi,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    for (const route of routes.filter((candidate) => candidate.path.startsWith('/webhooks/'))) {
      const kind = route.path.slice('/webhooks/'.length);
      const outputId = `Webhook${kind.charAt(0).toUpperCase()}${kind.slice(1)}Url`;
      new CfnOutput(this, outputId, { value: `${api.url}${route.path}`, description: `ERP webhook for ${kind} (POST, signed)` });
    }
    new CfnOutput(this, 'SecretArn', { value: secrets.secret.secretArn, description: 'JSON secret {webhookSecret, apiToken, adminToken}' });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.topic.topicArn, description: 'SNS topic every alarm notifies' });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName, description: 'CloudWatch dashboard' });
  }
}

function handlerEntry(projectRoot: string, definition: FunctionDefinition): string {
  const entry = join(projectRoot, 'functions', `${definition.name}.ts`);
  if (!existsSync(entry)) {
    throw new Error(`lib/infra/functions.ts defines "${definition.name}" but its handler ${entry} does not exist`);
  }
  return entry;
}

/** A message must not become visible again while its consumer may still be working on it. */
function assertVisibilityCoversConsumer(queue: QueueDefinition, consumer: FunctionDefinition): void {
  if (queue.consumerTimeoutSeconds !== consumer.timeoutSeconds) {
    throw new Error(
      `Queue ${queue.name} assumes its consumer ${consumer.name} times out after ${queue.consumerTimeoutSeconds} s, ` +
        `but functions.ts gives it ${consumer.timeoutSeconds} s`,
    );
  }
  const needed = consumer.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR;
  if (queue.visibilityTimeoutSeconds < needed) {
    throw new Error(
      `Queue ${queue.name}: visibility timeout ${queue.visibilityTimeoutSeconds} s is under ${VISIBILITY_TIMEOUT_FACTOR}× ` +
        `the ${consumer.timeoutSeconds} s timeout of ${consumer.name} (${needed} s)`,
    );
  }
}

function mapValues<K extends string, V, R>(record: Record<K, V>, fn: (value: V) => R): Record<K, R> {
  return Object.fromEntries((Object.entries(record) as [K, V][]).map(([key, value]) => [key, fn(value)])) as Record<K, R>;
}
