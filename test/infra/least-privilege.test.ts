import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_INSPECT_ACTIONS,
  DEAD_LETTER_REDRIVE_ACTIONS,
  EMAIL_SEND_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
} from '../../cdk/constructs/declared-access.js';
import { functions, type FunctionDefinition, type TableAccess } from '../../lib/infra/functions.js';
import { deadLetterQueueName, queues, tables, type QueueKey, type TableKey } from '../../lib/infra/resources.js';
import defaultProgram from '../../lib/program/default-program.json' with { type: 'json' };
import {
  actionsOf,
  arnOf,
  CDK_JSON_CONTEXT,
  mentions,
  resourcesOf,
  resourcesOfType,
  statementsOfRole,
  synthesizeTierEngine,
  type Statement,
  type SynthesizedStack,
} from './synthesized-stack.js';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeTierEngine();
});
afterAll(() => synthesized?.dispose());

const senderAddress = CDK_JSON_CONTEXT.senderAddress as string;
const functionCases = functions.map((definition) => [definition.name, definition] as const);

const tableId = (key: TableKey) => synthesized.logicalId(synthesized.stack.node.findChild('Tables').node.findChild(tables[key].name));
const queueId = (key: QueueKey) => synthesized.logicalId(synthesized.stack.node.findChild('Queues').node.findChild(queues[key].name));
const deadLetterId = (key: QueueKey) => synthesized.logicalId(synthesized.stack.node.findChild('Queues').node.findChild(deadLetterQueueName(queues[key])));
const configurationSetId = () =>
  synthesized.logicalId(synthesized.stack.node.findChild('EmailSendEvents').node.findChild('ConfigurationSet'));
const secretId = () => synthesized.logicalId(synthesized.stack.node.findChild('Secrets').node.findChild('Secret'));
const statementsOf = (name: string) => statementsOfRole(synthesized.template, synthesized.roleLogicalId(name));
const environmentOf = (name: string): Record<string, unknown> =>
  resourcesOfType(synthesized.template, 'AWS::Lambda::Function')[synthesized.functionLogicalId(name)]!.Properties.Environment.Variables;
const hasAction = (statement: Statement, prefix: string) => actionsOf(statement).some((action) => action.startsWith(prefix));

function expectedTableStatements(definition: FunctionDefinition) {
  return (Object.entries(definition.tables) as [TableKey, TableAccess][]).flatMap(([key, access]) => {
    const tableArn = arnOf(tableId(key));
    const indexArns = tables[key].indexes.map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index.indexName}`]] }));
    return [
      ...(access === 'write' ? [] : [{ actions: [...TABLE_READ_ACTIONS], resources: [tableArn, ...indexArns] }]),
      ...(access === 'read' ? [] : [{ actions: [...TABLE_WRITE_ACTIONS], resources: [tableArn] }]),
    ];
  });
}

describe('each function has exactly the access lib/infra/functions.ts declares', () => {
  it.each(functionCases)('%s reads and writes only its declared tables; reads cover each index ARN, writes only the table', (name, definition) => {
    const actual = statementsOf(name)
      .filter((statement) => hasAction(statement, 'dynamodb:'))
      .map((statement) => ({ actions: actionsOf(statement), resources: resourcesOf(statement) }));
    const expected = expectedTableStatements(definition);
    expect(actual).toHaveLength(expected.length);
    expect(actual).toEqual(expect.arrayContaining(expected));
  });

  it('ingest-orders cannot touch the clients table, nor any table but orders', () => {
    const statements = statementsOf('ingest-orders');
    for (const key of Object.keys(tables) as TableKey[]) {
      expect(statements.some((statement) => mentions(statement.Resource, tableId(key))), key).toBe(key === 'orders');
    }
  });

  it.each(functionCases)('%s sends only to the queues it declares and consumes only the queue it is the consumer of', (name, definition) => {
    const statements = statementsOf(name);
    for (const key of Object.keys(queues) as QueueKey[]) {
      const onQueue = statements.filter((statement) => mentions(statement.Resource, queueId(key)));
      const sends = onQueue.some((statement) => actionsOf(statement).includes('sqs:SendMessage'));
      const receives = onQueue.some((statement) => actionsOf(statement).includes('sqs:ReceiveMessage'));
      expect({ queue: key, sends, receives }).toEqual({ queue: key, sends: definition.sendsTo.includes(key), receives: queues[key].consumer === name });
    }
  });

  it.each(functionCases)('%s touches a dead-letter queue only as it declares: inspect (attributes, move tasks) or redrive (also start a move)', (name, definition) => {
    const statements = statementsOf(name);
    for (const key of Object.keys(queues) as QueueKey[]) {
      const onDeadLetters = statements.filter((statement) => mentions(statement.Resource, deadLetterId(key))).map(actionsOf);
      const access = definition.deadLetters?.[key];
      const expected = access === 'redrive' ? [[...DEAD_LETTER_REDRIVE_ACTIONS]] : access === 'inspect' ? [[...DEAD_LETTER_INSPECT_ACTIONS]] : [];
      expect({ queue: key, actions: onDeadLetters }).toEqual({ queue: key, actions: expected });
    }
  });

  it('only start-redrive may start moving dead letters, and it sends to each queue it redrives', () => {
    const redrivers = functions.filter((definition) => Object.values(definition.deadLetters ?? {}).includes('redrive'));
    expect(redrivers.map((definition) => definition.name)).toEqual(['start-redrive']);
    for (const [key, access] of Object.entries(redrivers[0]!.deadLetters!)) {
      if (access === 'redrive') expect(redrivers[0]!.sendsTo).toContain(key);
    }
  });

  it.each(functionCases)('%s reads the secret if and only if it declares secrets: true', (name, definition) => {
    const readsSecret = statementsOf(name).some(
      (statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue') && JSON.stringify(statement.Resource) === JSON.stringify({ Ref: secretId() }),
    );
    expect(readsSecret).toBe(definition.secrets);
    expect(environmentOf(name).SECRETS_ARN).toEqual(definition.secrets ? { Ref: secretId() } : undefined);
  });

  it('only send-tier-email may call SES, only to send, only from the sender address, and only through the configuration set', () => {
    const sesStatements = Object.entries(resourcesOfType(synthesized.template, 'AWS::IAM::Policy')).flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument.Statement as Statement[])
        .filter((statement) => hasAction(statement, 'ses:'))
        .map((statement) => ({ statement, roles: policy.Properties.Roles as unknown[] })),
    );
    expect(sesStatements).toHaveLength(1);
    const [{ statement, roles }] = sesStatements as [(typeof sesStatements)[number]];
    expect(roles).toEqual([{ Ref: synthesized.roleLogicalId('send-tier-email') }]);
    expect(actionsOf(statement)).toEqual([...EMAIL_SEND_ACTIONS]);
    expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': senderAddress } });
    const identities = resourcesOf(statement).map((resource) => JSON.stringify(resource));
    expect(identities).toHaveLength(3);
    expect(identities[0]).toContain(`:identity/${senderAddress}"`);
    expect(identities[1]).toContain(`:identity/${senderAddress.split('@')[1]}"`);
    expect(identities[2]).toContain(':configuration-set/"');
    expect(identities[2]).toContain(JSON.stringify({ Ref: configurationSetId() }));
  });

  it("SES's Send events of the configuration set reach the email-send-events queue raw, through an SNS topic", () => {
    const destinations = Object.values(resourcesOfType(synthesized.template, 'AWS::SES::ConfigurationSetEventDestination'));
    expect(destinations).toHaveLength(1);
    const destination = destinations[0]!.Properties;
    expect(destination.ConfigurationSetName).toEqual({ Ref: configurationSetId() });
    expect(destination.EventDestination.MatchingEventTypes).toEqual(['send']);
    const topicRef = destination.EventDestination.SnsDestination.TopicARN;
    const subscriptions = Object.values(resourcesOfType(synthesized.template, 'AWS::SNS::Subscription')).filter(
      (subscription) => JSON.stringify(subscription.Properties.TopicArn) === JSON.stringify(topicRef),
    );
    expect(subscriptions.map((subscription) => subscription.Properties)).toEqual([
      expect.objectContaining({ Protocol: 'sqs', RawMessageDelivery: true, Endpoint: arnOf(queueId('emailSendEvents')) }),
    ]);
  });

  it('no function role has a wildcard action or resource, nor a managed policy', () => {
    for (const definition of functions) {
      for (const statement of statementsOf(definition.name)) {
        expect(actionsOf(statement).filter((action) => action.includes('*')), definition.name).toEqual([]);
        expect(resourcesOf(statement).filter((resource) => typeof resource === 'string' && resource.includes('*')), definition.name).toEqual([]);
      }
      const role = resourcesOfType(synthesized.template, 'AWS::IAM::Role')[synthesized.roleLogicalId(definition.name)];
      expect(role?.Properties.ManagedPolicyArns, definition.name).toBeUndefined();
    }
  });

  it.each(functionCases)('%s may write only to its own log group', (name) => {
    const logStatements = statementsOf(name).filter((statement) => hasAction(statement, 'logs:'));
    const logGroupId = synthesized.logicalId(synthesized.stack.functions.get(name)!.logGroup);
    expect(logStatements.map((statement) => statement.Resource)).toEqual([arnOf(logGroupId)]);
    const fn = resourcesOfType(synthesized.template, 'AWS::Lambda::Function')[synthesized.functionLogicalId(name)];
    expect(fn?.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
    expect(resourcesOfType(synthesized.template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBe(30);
  });
});

describe('function runtime and environment', () => {
  it('runs every function on nodejs22.x, arm64, with the ESM bundle handler', () => {
    for (const [id, fn] of Object.entries(resourcesOfType(synthesized.template, 'AWS::Lambda::Function'))) {
      expect({ id, runtime: fn.Properties.Runtime, architectures: fn.Properties.Architectures, handler: fn.Properties.Handler }).toEqual({
        id,
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler: 'index.handler',
      });
    }
  });

  it.each(functionCases)('%s gets the env var of each declared table and queue, the program and service, and nothing else', (name, definition) => {
    const environment = environmentOf(name);
    const expected: Record<string, unknown> = {
      POWERTOOLS_SERVICE_NAME: 'tier-engine',
      POWERTOOLS_METRICS_NAMESPACE: 'TierEngine',
      PROGRAM_CONFIG_JSON: JSON.stringify(defaultProgram),
    };
    for (const key of Object.keys(definition.tables) as TableKey[]) expected[tables[key].envVar] = { Ref: tableId(key) };
    for (const key of definition.sendsTo) expected[queues[key].envVar] = { Ref: queueId(key) };
    for (const key of Object.keys(definition.deadLetters ?? {}) as QueueKey[]) expected[queues[key].deadLetterEnvVar] = { Ref: deadLetterId(key) };
    if (definition.secrets) expected.SECRETS_ARN = { Ref: secretId() };
    if (definition.sendsEmail) {
      expected.SENDER_ADDRESS = senderAddress;
      expected.SES_CONFIGURATION_SET = { Ref: configurationSetId() };
    }
    expect(environment).toEqual(expected);
  });
});
