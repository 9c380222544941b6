import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueueName, queues, tables, type QueueDefinition, type QueueKey, type TableDefinition } from '../infra/resources.js';

/** Local physical name of a table or queue: a prefix keeps test runs and the dev stack apart. */
const localName = (prefix: string, name: string) => `${prefix}${name}`;

function createTableInput(definition: TableDefinition, name: string) {
  const attributes = new Map<string, AttributeDefinition>();
  const remember = (key: { name: string; type: 'S' | 'N' }) => attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  remember(definition.partitionKey);
  if (definition.sortKey) remember(definition.sortKey);
  const indexes: GlobalSecondaryIndex[] = definition.indexes.map((index) => {
    remember(index.partitionKey);
    remember(index.sortKey);
    return {
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection:
        index.projection.type === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.nonKeyAttributes] }
          : { ProjectionType: index.projection.type },
    };
  });
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes.values()],
    KeySchema: [
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' as const },
      ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
  };
}

/** Creates every table of the shared definitions that does not exist yet; returns env var → table name. */
export async function provisionTables(endpoint: string, prefix: string): Promise<Record<string, string>> {
  const client = new DynamoDBClient({ endpoint });
  const env: Record<string, string> = {};
  for (const definition of Object.values(tables) as TableDefinition[]) {
    const name = localName(prefix, definition.name);
    env[definition.envVar] = name;
    try {
      await client.send(new DescribeTableCommand({ TableName: name }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      await client.send(new CreateTableCommand(createTableInput(definition, name)));
    }
  }
  client.destroy();
  return env;
}

async function createQueue(client: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return QueueUrl!;
}

/** Creates every queue (and its dead-letter queue) of the shared definitions; returns env var → queue URL (DLQs too). */
export async function provisionQueues(
  endpoint: string,
  prefix: string,
  visibilityOverrides: Partial<Record<QueueKey, number>> = {},
): Promise<ProvisionedQueues> {
  const client = new SQSClient({ endpoint });
  const env: Record<string, string> = {};
  const provisioned: ProvisionedQueues['queues'] = {};
  for (const [key, definition] of Object.entries(queues) as [QueueKey, QueueDefinition][]) {
    const dlqUrl = await createQueue(client, localName(prefix, deadLetterQueueName(definition)), {
      MessageRetentionPeriod: String(14 * 24 * 3600),
    });
    const dlqArn = await queueArn(client, dlqUrl);
    const url = await createQueue(client, localName(prefix, definition.name), {
      VisibilityTimeout: String(visibilityOverrides[key] ?? definition.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(definition.retentionDays * 24 * 3600),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: definition.maxReceiveCount }),
    });
    env[definition.envVar] = url;
    env[definition.deadLetterEnvVar] = dlqUrl;
    provisioned[key] = { url, arn: await queueArn(client, url), deadLetterUrl: dlqUrl };
  }
  client.destroy();
  return { env, queues: provisioned as Required<ProvisionedQueues['queues']> };
}

async function queueArn(client: SQSClient, url: string): Promise<string> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return Attributes!.QueueArn!;
}

export interface ProvisionedQueue {
  url: string;
  arn: string;
  deadLetterUrl: string;
}
export interface ProvisionedQueues {
  env: Record<string, string>;
  queues: Partial<Record<QueueKey, ProvisionedQueue>>;
}
