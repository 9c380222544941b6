import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './tier-function.js';

/**
 * The metric a completed recalculation run emits: `RunsCompleted` (Count, 1 per run) in namespace `TierEngine`
 * with the single dimension `service = tier-engine` that Powertools Metrics adds to everything it emits.
 */
export const RUNS_COMPLETED_METRIC = { namespace: METRICS_NAMESPACE, metricName: 'RunsCompleted', dimensionsMap: { service: SERVICE_NAME } } as const;

/**
 * The metric the delivery sweep emits when it had to publish owed deliveries again (`DeliveriesRepublished`,
 * Count): a message went missing after it was published.
 */
export const DELIVERIES_REPUBLISHED_METRIC = { namespace: METRICS_NAMESPACE, metricName: 'DeliveriesRepublished', dimensionsMap: { service: SERVICE_NAME } } as const;

/** A run must complete within this many hours of the previous one (nightly, with two hours of slack). */
export const MISSED_RUN_WINDOW_HOURS = 26;

/** A queue under watch, with the name operators know it by. */
export interface NamedQueue {
  readonly name: string;
  readonly queue: IQueue;
}

/** What the alarms and the dashboard watch. */
export interface MonitoringProps {
  /** Every dead-letter queue of the system: each gets an alarm. */
  readonly deadLetterQueues: readonly NamedQueue[];
  /** The work queues, for the dashboard's backlog widgets. */
  readonly workQueues: readonly NamedQueue[];
  /** All functions by name, for the dashboard's error widget. */
  readonly functions: ReadonlyMap<string, IFunction>;
  /** The function that runs recalculation shards: its errors alarm. */
  readonly recalcWorker: IFunction;
  readonly api: HttpApi;
  /** Subscribed to the alarm topic when given (context `alarmEmail`). */
  readonly alarmEmail?: string;
}

/**
 * Alarms and the dashboard: a message in any dead-letter queue, recalc-worker errors, a nightly run that did not
 * complete, API 5xx, deliveries the sweep had to publish again. Every alarm notifies (ALARM and OK) an SNS topic encrypted with a rotating KMS key that
 * CloudWatch may use, TLS-only.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = this.createTopic(props.alarmEmail);

    for (const { name, queue } of props.deadLetterQueues) {
      this.addAlarm(`DeadLetters-${name}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: Stats.MAXIMUM }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: `Messages in dead-letter queue ${name}: inspect them, fix the cause, redrive.`,
      });
    }

    this.addAlarm('RecalcWorkerErrors', {
      metric: props.recalcWorker.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: 'recalc-worker invocations failed (the task is retried through SQS; see its logs).',
    });

    // CloudWatch caps one period at a day, so the 26-hour window is 26 hourly periods that must all be empty.
    this.addAlarm('NightlyRunMissed', {
      metric: new Metric({ ...RUNS_COMPLETED_METRIC, statistic: Stats.SUM, period: Duration.hours(1) }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: MISSED_RUN_WINDOW_HOURS,
      datapointsToAlarm: MISSED_RUN_WINDOW_HOURS,
      treatMissingData: TreatMissingData.BREACHING,
      alarmDescription: `No recalculation run completed in ${MISSED_RUN_WINDOW_HOURS} hours: the nightly run did not start or did not finish.`,
    });

    this.addAlarm('Api5xx', {
      metric: props.api.metricServerError({ period: Duration.minutes(5), statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: 'The HTTP API answered 5xx (webhooks are retried by the ERP; see the function logs).',
    });

    this.addAlarm('DeliveriesRepublished', {
      metric: new Metric({ ...DELIVERIES_REPUBLISHED_METRIC, statistic: Stats.SUM, period: Duration.hours(1) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: 'The delivery sweep published owed tier changes again: messages went missing after publishing (see GET /admin/deliveries?state=owed).',
    });

    this.dashboard = this.createDashboard(props);
  }

  private createTopic(alarmEmail: string | undefined): Topic {
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Encrypts the tier engine alarm topic' });
    // CloudWatch publishes alarms itself: it must be able to use the key and to publish to the topic.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'Tier engine alarms', masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
      }),
    );
    if (alarmEmail) topic.addSubscription(new EmailSubscription(alarmEmail));
    return topic;
  }

  private addAlarm(id: string, props: ConstructorParameters<typeof Alarm>[2]): void {
    const alarm = new Alarm(this, id, props);
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  private createDashboard(props: MonitoringProps): Dashboard {
    const fiveMinutes = { period: Duration.minutes(5) };
    const api = props.api;
    const queueMetrics = (pick: (queue: IQueue) => Metric, queues: readonly NamedQueue[]) =>
      queues.map(({ name, queue }) => pick(queue).with({ label: name, ...fiveMinutes }));
    const dashboard = new Dashboard(this, 'Dashboard');
    dashboard.addWidgets(
      new TextWidget({ markdown: '# Wholesale tier engine\nAPI, queues, nightly recalculation, alarms.', width: 24, height: 2 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [
          api.metricCount({ ...fiveMinutes, statistic: Stats.SUM, label: 'requests' }),
          api.metricClientError({ ...fiveMinutes, statistic: Stats.SUM, label: '4xx' }),
          api.metricServerError({ ...fiveMinutes, statistic: Stats.SUM, label: '5xx' }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (p99)',
        left: [
          api.metricLatency({ ...fiveMinutes, statistic: Stats.p(99), label: 'latency' }),
          api.metricIntegrationLatency({ ...fiveMinutes, statistic: Stats.p(99), label: 'integration' }),
        ],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Queue backlog (visible messages)',
        left: queueMetrics((queue) => queue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM }), props.workQueues),
        width: 8,
      }),
      new GraphWidget({
        title: 'Oldest message age (s)',
        left: queueMetrics((queue) => queue.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM }), props.workQueues),
        width: 8,
      }),
      new GraphWidget({
        title: 'Dead letters',
        left: queueMetrics((queue) => queue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM }), props.deadLetterQueues),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Runs completed (per hour)',
        left: [new Metric({ ...RUNS_COMPLETED_METRIC, statistic: Stats.SUM, period: Duration.hours(1), label: 'RunsCompleted' })],
        width: 8,
      }),
      new GraphWidget({
        title: 'recalc-worker',
        left: [
          props.recalcWorker.metricInvocations({ ...fiveMinutes, statistic: Stats.SUM, label: 'invocations' }),
          props.recalcWorker.metricErrors({ ...fiveMinutes, statistic: Stats.SUM, label: 'errors' }),
        ],
        right: [props.recalcWorker.metricDuration({ ...fiveMinutes, statistic: Stats.MAXIMUM, label: 'max duration (ms)' })],
        width: 8,
      }),
      new GraphWidget({
        title: 'Function errors',
        left: [...props.functions].map(([name, fn]) => fn.metricErrors({ ...fiveMinutes, statistic: Stats.SUM, label: name })),
        width: 8,
      }),
    );
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    return dashboard;
  }
}
