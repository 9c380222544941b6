import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Monitoring } from '../../cdk/constructs/monitoring.js';
import { createTierEngineApp } from '../../cdk/tier-engine-app.js';
import { functions } from '../../lib/infra/functions.js';
import { NIGHTLY_SCHEDULE_EXPRESSION } from '../../lib/infra/schedule.js';
import { deadLetterQueueName, queues, tables } from '../../lib/infra/resources.js';
import { routes } from '../../lib/infra/routes.js';
import {
  actionsOf,
  arnOf,
  CDK_JSON_CONTEXT,
  mentions,
  resourcesOfType,
  statementsOfRole,
  synthesizeTierEngine,
  type SynthesizedStack,
  type TemplateResource,
} from './synthesized-stack.js';

const programPath = fileURLToPath(new URL('./fixtures/program-novosibirsk.json', import.meta.url));
const program = JSON.parse(readFileSync(programPath, 'utf8')) as { timeZone: string };
const context = { deletionProtection: 'false', alarmEmail: 'ops@example.com', erpCallbackUrl: 'https://erp.example.com/tier-callback' };

let synthesized: SynthesizedStack;
beforeAll(() => {
  // A non-default program and `-c`-style string context, so the assertions prove where each value comes from.
  synthesized = synthesizeTierEngine({ programConfigPath: programPath, context });
});
afterAll(() => synthesized?.dispose());

const child = (...path: string[]) => path.reduce((scope, id) => scope.node.findChild(id), synthesized.stack as IConstruct);
const alarms = () => resourcesOfType(synthesized.template, 'AWS::CloudWatch::Alarm');
const topicRef = () => ({ Ref: synthesized.logicalId(child('Monitoring', 'AlarmTopic')) });
const nightlyDeadLetterId = () => synthesized.logicalId(child('Nightly', 'DeadLetters'));

describe('nightly schedule', () => {
  function schedule(): TemplateResource {
    const [only, ...others] = Object.values(resourcesOfType(synthesized.template, 'AWS::Scheduler::Schedule'));
    expect(others).toHaveLength(0);
    return only!;
  }

  it('fires at 01:00 every day (the expression the local stack runs too) in the time zone of the program config', () => {
    expect(schedule().Properties).toMatchObject({
      ScheduleExpression: 'cron(0 1 * * ? *)',
      ScheduleExpressionTimezone: program.timeZone,
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(NIGHTLY_SCHEDULE_EXPRESSION).toBe('cron(0 1 * * ? *)');
  });

  it('invokes recalc-scheduled with retries and a dead-letter queue', () => {
    const { Target } = schedule().Properties;
    expect(Target.Arn).toEqual(arnOf(synthesized.functionLogicalId('recalc-scheduled')));
    expect(Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(Target.DeadLetterConfig).toEqual({ Arn: arnOf(nightlyDeadLetterId()) });
  });

  it('runs as a role that Scheduler of this account alone assumes, and that may invoke only recalc-scheduled', () => {
    const roleId = (schedule().Properties.Target.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = resourcesOfType(synthesized.template, 'AWS::IAM::Role')[roleId]!;
    const [trust] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
    expect(trust.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    const statements = statementsOfRole(synthesized.template, roleId);
    expect(statements.map((statement) => ({ actions: actionsOf(statement), resource: statement.Resource }))).toEqual([
      { actions: ['lambda:InvokeFunction'], resource: arnOf(synthesized.functionLogicalId('recalc-scheduled')) },
      { actions: ['sqs:SendMessage'], resource: arnOf(nightlyDeadLetterId()) },
    ]);
  });

  it('sends recalc-scheduled invocations that failed every asynchronous attempt to the same dead-letter queue', () => {
    const configs = Object.values(resourcesOfType(synthesized.template, 'AWS::Lambda::EventInvokeConfig'));
    expect(configs).toHaveLength(1);
    expect(configs[0]?.Properties).toMatchObject({
      FunctionName: { Ref: synthesized.functionLogicalId('recalc-scheduled') },
      DestinationConfig: { OnFailure: { Destination: arnOf(nightlyDeadLetterId()) } },
    });
  });
});

describe('program config and context reach the deployment', () => {
  it('gives every function the program config file, minified', () => {
    const minified = JSON.stringify(JSON.parse(readFileSync(programPath, 'utf8')));
    for (const definition of functions) {
      const fn = resourcesOfType(synthesized.template, 'AWS::Lambda::Function')[synthesized.functionLogicalId(definition.name)];
      expect(fn?.Properties.Environment.Variables.PROGRAM_CONFIG_JSON, definition.name).toBe(minified);
    }
  });

  it('turns deletion protection off on every table when the context says "false"', () => {
    const all = Object.values(resourcesOfType(synthesized.template, 'AWS::DynamoDB::GlobalTable'));
    expect(all).toHaveLength(Object.keys(tables).length);
    for (const table of all) expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
  });

  it('gives the ERP callback URL to the price-list consumer only', () => {
    for (const definition of functions) {
      const fn = resourcesOfType(synthesized.template, 'AWS::Lambda::Function')[synthesized.functionLogicalId(definition.name)];
      const expected = definition.name === queues.priceListUpdates.consumer ? context.erpCallbackUrl : undefined;
      expect(fn?.Properties.Environment.Variables.ERP_CALLBACK_URL, definition.name).toBe(expected);
    }
  });

  it('fails the synth naming the field when the program config is invalid', () => {
    const invalid = fileURLToPath(new URL('./fixtures/program-invalid.json', import.meta.url));
    expect(() => createTierEngineApp({ context: CDK_JSON_CONTEXT, programConfigPath: invalid })).toThrow(/timeZone: an IANA time zone/);
  });

  it('fails the synth naming the context key when senderAddress is not an email address', () => {
    expect(() => createTierEngineApp({ context: { ...CDK_JSON_CONTEXT, senderAddress: 'tiers' } })).toThrow(/context senderAddress/);
  });
});

describe('alarms', () => {
  const deadLetterIds = () => [
    ...Object.values(queues).map((definition) => synthesized.logicalId(child('Queues', deadLetterQueueName(definition)))),
    nightlyDeadLetterId(),
  ];

  it('alarms on every dead-letter queue as soon as one message is visible in it', () => {
    const queueIds = Object.keys(resourcesOfType(synthesized.template, 'AWS::SQS::Queue'));
    const redriveTargets = Object.values(resourcesOfType(synthesized.template, 'AWS::SQS::Queue'))
      .map((queue) => queue.Properties.RedrivePolicy?.deadLetterTargetArn)
      .filter(Boolean);
    expect(deadLetterIds().filter((id) => redriveTargets.some((target) => mentions(target, id)))).toHaveLength(Object.keys(queues).length);
    for (const id of deadLetterIds()) {
      expect(queueIds).toContain(id);
      const onQueue = Object.values(alarms()).filter((alarm) =>
        (alarm.Properties.Dimensions as { Name: string; Value: unknown }[] | undefined)?.some((dimension) => dimension.Name === 'QueueName' && mentions(dimension.Value, id)),
      );
      expect(onQueue, id).toHaveLength(1);
      expect(onQueue[0]?.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
      });
    }
  });

  it('alarms on recalc-worker errors', () => {
    const matching = Object.values(alarms()).filter(
      (alarm) => alarm.Properties.MetricName === 'Errors' && mentions(alarm.Properties.Dimensions, synthesized.functionLogicalId('recalc-worker')),
    );
    expect(matching).toHaveLength(1);
    expect(matching[0]?.Properties).toMatchObject({ Namespace: 'AWS/Lambda', ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 });
  });

  it('alarms when no run completed for 26 hours: RunsCompleted (TierEngine, service=tier-engine) summed hourly, missing data breaching', () => {
    const matching = Object.values(alarms()).filter((alarm) => alarm.Properties.MetricName === 'RunsCompleted');
    expect(matching).toHaveLength(1);
    const { Properties } = matching[0]!;
    expect(Properties).toMatchObject({
      Namespace: 'TierEngine',
      Dimensions: [{ Name: 'service', Value: 'tier-engine' }],
      Statistic: 'Sum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    expect(Properties.Period * Properties.EvaluationPeriods).toBe(26 * 3600);
    expect(Properties.DatapointsToAlarm).toBe(Properties.EvaluationPeriods);
  });

  it('alarms on API 5xx answers', () => {
    const apiId = synthesized.logicalId(child('Api', 'HttpApi'));
    const matching = Object.values(alarms()).filter((alarm) => alarm.Properties.MetricName === '5xx');
    expect(matching).toHaveLength(1);
    expect(matching[0]?.Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }] });
  });

  it('alarms when the delivery sweep had to publish owed deliveries again', () => {
    const matching = Object.values(alarms()).filter((alarm) => alarm.Properties.MetricName === 'DeliveriesRepublished');
    expect(matching).toHaveLength(1);
    expect(matching[0]?.Properties).toMatchObject({
      Namespace: 'TierEngine',
      Dimensions: [{ Name: 'service', Value: 'tier-engine' }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
  });

  it('has a line in the README runbook for every alarm', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const runbook = readme.slice(readme.indexOf('### Runbook'));
    const monitoring = child('Monitoring') as Monitoring;
    expect(monitoring.alarms.length).toBe(Object.keys(alarms()).length);
    for (const alarm of monitoring.alarms) expect(runbook, alarm.node.id).toMatch(new RegExp(`^\\| \`${alarm.node.id}\` \\|`, 'm'));
  });

  it('notifies the alarm topic of every alarm and of its recovery', () => {
    expect(Object.keys(alarms())).toHaveLength(deadLetterIds().length + 4);
    for (const [id, alarm] of Object.entries(alarms())) {
      expect(alarm.Properties.AlarmActions, id).toEqual([topicRef()]);
      expect(alarm.Properties.OKActions, id).toEqual([topicRef()]);
    }
  });

  it('encrypts the alarm topic with a rotating KMS key CloudWatch may use, requires TLS, and mails alarmEmail', () => {
    const topic = resourcesOfType(synthesized.template, 'AWS::SNS::Topic')[topicRef().Ref]!;
    const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const key = resourcesOfType(synthesized.template, 'AWS::KMS::Key')[keyId]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(key.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    const [topicPolicy] = Object.values(resourcesOfType(synthesized.template, 'AWS::SNS::TopicPolicy'));
    expect(JSON.stringify(topicPolicy?.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    synthesized.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: context.alarmEmail, TopicArn: topicRef() });
  });

  it('builds a dashboard', () => {
    synthesized.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('secrets and outputs', () => {
  it('creates the JSON secret {webhookSecret, apiToken, adminToken} from generated values, with no value in the template', () => {
    const secrets = resourcesOfType(synthesized.template, 'AWS::SecretsManager::Secret');
    const appSecret = secrets[synthesized.logicalId(child('Secrets', 'Secret'))]!;
    const joined = JSON.stringify(appSecret.Properties.SecretString);
    for (const key of ['webhookSecret', 'apiToken', 'adminToken']) {
      const seedId = synthesized.logicalId(child('Secrets', `${key}Seed`));
      expect(secrets[seedId]?.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
      expect(joined).toContain(`\\"${key}\\":\\"{{resolve:secretsmanager:`);
      expect(mentions(appSecret.Properties.SecretString, seedId)).toBe(true);
    }
  });

  it('outputs the API URL, one URL per ERP webhook, and the secret ARN', () => {
    const outputs = synthesized.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const apiId = synthesized.logicalId(child('Api', 'HttpApi'));
    expect(outputs.ApiUrl?.Value).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
    const webhookPaths = routes.filter((route) => route.path.startsWith('/webhooks/')).map((route) => route.path);
    const webhookOutputs = Object.entries(outputs).filter(([name]) => /^Webhook\w+Url$/.test(name));
    expect(webhookOutputs.map(([, output]) => JSON.stringify(output.Value).match(/\/webhooks\/\w+/)?.[0]).sort()).toEqual(webhookPaths.sort());
    expect(outputs.WebhookOrdersUrl).toBeDefined();
    expect(outputs.SecretArn?.Value).toEqual({ Ref: synthesized.logicalId(child('Secrets', 'Secret')) });
  });
});
