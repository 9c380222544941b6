import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../lib/infra/functions.js';
import {
  deadLetterQueueName,
  queues,
  tables,
  type IndexDefinition,
  type KeyAttribute,
  type QueueDefinition,
  type TableDefinition,
} from '../../lib/infra/resources.js';
import { routes } from '../../lib/infra/routes.js';
import { arnOf, mentions, resourcesOfType, synthesizeTierEngine, type SynthesizedStack, type TemplateResource } from './synthesized-stack.js';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeTierEngine();
});
afterAll(() => synthesized?.dispose());

const tableEntries = Object.entries(tables) as [keyof typeof tables, TableDefinition][];
const queueEntries = Object.entries(queues) as [keyof typeof queues, QueueDefinition][];

function tableResource(key: keyof typeof tables): TemplateResource {
  const id = synthesized.logicalId(synthesized.stack.node.findChild('Tables').node.findChild(tables[key].name));
  const resource = resourcesOfType(synthesized.template, 'AWS::DynamoDB::GlobalTable')[id];
  if (!resource) throw new Error(`No AWS::DynamoDB::GlobalTable ${id} for table ${key}`);
  return resource;
}

function queueLogicalId(name: string): string {
  return synthesized.logicalId(synthesized.stack.node.findChild('Queues').node.findChild(name));
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute) {
  return [{ AttributeName: partitionKey.name, KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : [])];
}

function projection(index: IndexDefinition) {
  return index.projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.nonKeyAttributes] }
    : { ProjectionType: index.projection.type };
}

function attributeDefinitions(definition: TableDefinition) {
  const keys = [definition.partitionKey, definition.sortKey, ...definition.indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
  const byName = new Map(keys.filter((key): key is KeyAttribute => key !== undefined).map((key) => [key.name, key.type]));
  return [...byName].map(([name, type]) => ({ AttributeName: name, AttributeType: type })).sort(byAttributeName);
}

function byAttributeName(a: { AttributeName: string }, b: { AttributeName: string }): number {
  return a.AttributeName.localeCompare(b.AttributeName);
}

describe('tables are exactly the definitions of lib/infra/resources.ts', () => {
  it('synthesizes one DynamoDB table per definition and no other', () => {
    synthesized.template.resourceCountIs('AWS::DynamoDB::GlobalTable', tableEntries.length);
  });

  it.each(tableEntries)('table %s has the defined key schema and attribute types', (key, definition) => {
    const { Properties } = tableResource(key);
    expect(Properties.KeySchema).toEqual(keySchema(definition.partitionKey, definition.sortKey));
    expect([...Properties.AttributeDefinitions].sort(byAttributeName)).toEqual(attributeDefinitions(definition));
  });

  it.each(tableEntries)('table %s has exactly the defined GSIs with their keys and projections', (key, definition) => {
    const { Properties } = tableResource(key);
    const expected = definition.indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: projection(index),
    }));
    expect(Properties.GlobalSecondaryIndexes ?? []).toEqual(expected);
  });

  it.each(tableEntries)('table %s expires items by the defined TTL attribute, or has no TTL', (key, definition) => {
    const { Properties } = tableResource(key);
    if (definition.timeToLiveAttribute) {
      expect(Properties.TimeToLiveSpecification).toEqual({ AttributeName: definition.timeToLiveAttribute, Enabled: true });
    } else {
      expect(Properties.TimeToLiveSpecification).toBeUndefined();
    }
  });

  it.each(tableEntries)('table %s has point-in-time recovery, deletion protection, on-demand billing, KMS encryption, RETAIN', (key) => {
    const resource = tableResource(key) as TemplateResource & { DeletionPolicy?: string; UpdateReplacePolicy?: string };
    const { Properties } = resource;
    expect(Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(Properties.Replicas).toHaveLength(1);
    expect(Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('queues are exactly the definitions of lib/infra/resources.ts', () => {
  it.each(queueEntries)('queue %s has the defined visibility timeout and retention, and redrives to its DLQ after maxReceiveCount', (_key, definition) => {
    const all = resourcesOfType(synthesized.template, 'AWS::SQS::Queue');
    const queue = all[queueLogicalId(definition.name)];
    const deadLetterId = queueLogicalId(deadLetterQueueName(definition));
    expect(queue?.Properties.VisibilityTimeout).toBe(definition.visibilityTimeoutSeconds);
    expect(queue?.Properties.MessageRetentionPeriod).toBe(definition.retentionDays * 86_400);
    expect(queue?.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(deadLetterId), maxReceiveCount: definition.maxReceiveCount });
    expect(all[deadLetterId]).toBeDefined();
  });

  it('gives up on a message after 5 receives on every queue (the DLQ policy the spec expects)', () => {
    for (const [, definition] of queueEntries) {
      const queue = resourcesOfType(synthesized.template, 'AWS::SQS::Queue')[queueLogicalId(definition.name)];
      expect(queue?.Properties.RedrivePolicy.maxReceiveCount, definition.name).toBe(5);
    }
  });

  it('encrypts every queue (SQS-managed SSE) and denies every request that is not over TLS', () => {
    const all = resourcesOfType(synthesized.template, 'AWS::SQS::Queue');
    const policies = Object.values(resourcesOfType(synthesized.template, 'AWS::SQS::QueuePolicy'));
    for (const [id, queue] of Object.entries(all)) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      const denyInsecure = policies.some(
        (policy) =>
          mentions(policy.Properties.Queues, id) &&
          (policy.Properties.PolicyDocument.Statement as { Effect: string; Condition?: unknown }[]).some(
            (statement) => statement.Effect === 'Deny' && JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          ),
      );
      expect(denyInsecure, id).toBe(true);
    }
  });
});

describe('queue consumers are wired as the definitions say', () => {
  function mappingFor(definition: QueueDefinition): TemplateResource {
    const mappings = Object.values(resourcesOfType(synthesized.template, 'AWS::Lambda::EventSourceMapping')).filter((mapping) =>
      mentions(mapping.Properties.EventSourceArn, queueLogicalId(definition.name)),
    );
    expect(mappings, `event source mappings of ${definition.name}`).toHaveLength(1);
    return mappings[0]!;
  }

  it.each(queueEntries)('queue %s feeds its consumer with the defined batch size, max concurrency and partial batch failures', (_key, definition) => {
    const { Properties } = mappingFor(definition);
    expect(Properties.FunctionName).toEqual({ Ref: synthesized.functionLogicalId(definition.consumer) });
    expect(Properties.BatchSize).toBe(definition.batchSize);
    expect(Properties.ScalingConfig).toEqual({ MaximumConcurrency: definition.maxConcurrency });
    expect(Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it.each(queueEntries)('queue %s keeps a message invisible for at least 6× its consumer function timeout', (_key, definition) => {
    const consumer = resourcesOfType(synthesized.template, 'AWS::Lambda::Function')[synthesized.functionLogicalId(definition.consumer)];
    const queue = resourcesOfType(synthesized.template, 'AWS::SQS::Queue')[queueLogicalId(definition.name)];
    const timeout = consumer?.Properties.Timeout as number;
    expect(timeout).toBe(definition.consumerTimeoutSeconds);
    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });
});

describe('functions and routes are exactly the definitions of lib/infra', () => {
  it('deploys one Lambda function per entry of functions.ts with its timeout, memory and description', () => {
    const deployed = resourcesOfType(synthesized.template, 'AWS::Lambda::Function');
    expect(Object.keys(deployed)).toHaveLength(functions.length);
    for (const definition of functions) {
      const { Properties } = deployed[synthesized.functionLogicalId(definition.name)]!;
      expect({ Timeout: Properties.Timeout, MemorySize: Properties.MemorySize, Description: Properties.Description }, definition.name).toEqual({
        Timeout: definition.timeoutSeconds,
        MemorySize: definition.memoryMb,
        Description: definition.description,
      });
    }
  });

  it('serves every route of routes.ts, and only those, through a Lambda proxy integration with the named function', () => {
    const deployedRoutes = Object.values(resourcesOfType(synthesized.template, 'AWS::ApiGatewayV2::Route'));
    const integrations = resourcesOfType(synthesized.template, 'AWS::ApiGatewayV2::Integration');
    expect(deployedRoutes.map((route) => route.Properties.RouteKey).sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of routes) {
      const deployed = deployedRoutes.find((candidate) => candidate.Properties.RouteKey === `${route.method} ${route.path}`)!;
      const integration = Object.entries(integrations).find(([id]) => mentions(deployed.Properties.Target, id))?.[1];
      expect(integration?.Properties.IntegrationType, route.path).toBe('AWS_PROXY');
      expect(integration?.Properties.PayloadFormatVersion, route.path).toBe('2.0');
      expect(mentions(integration?.Properties.IntegrationUri, synthesized.functionLogicalId(route.functionName)), route.path).toBe(true);
    }
  });

  it('throttles the $default stage and writes JSON access logs to a log group with a retention', () => {
    const [stage] = Object.values(resourcesOfType(synthesized.template, 'AWS::ApiGatewayV2::Stage'));
    expect(stage?.Properties.StageName).toBe('$default');
    expect(stage?.Properties.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: expect.any(Number), ThrottlingRateLimit: expect.any(Number) });
    const logGroupId = (stage?.Properties.AccessLogSettings.DestinationArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resourcesOfType(synthesized.template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(JSON.parse(stage?.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });
});
