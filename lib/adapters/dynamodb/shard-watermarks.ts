import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import { shardKey } from '../../domain/sharding.js';
import { GROUP_SHARDS } from '../../infra/resources.js';
import { batchGetAll } from './batch.js';
import { dynamo } from './client.js';
import { updateIfConditionHolds } from './conditional.js';
import { jobKeys } from './job-keys.js';

/**
 * The newest as-of date at which a recalculation evaluated a group shard, or null if none has. Every group
 * of the shard stands evaluated at that date: a run rewrites only the groups that changed.
 */
export async function shardWatermark(groupShard: string): Promise<BusinessDate | null> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('runs'), Key: jobKeys.watermark(groupShard), ConsistentRead: true }));
  return (Item?.asOf as BusinessDate | undefined) ?? null;
}

/**
 * Moves a group shard's watermark back to `asOf` if it is later (the repair of a run at a wrong date);
 * true when it moved.
 */
export async function rewindShardWatermark(groupShard: string, asOf: BusinessDate): Promise<boolean> {
  const updated = await updateIfConditionHolds({
    TableName: tableName('runs'),
    Key: jobKeys.watermark(groupShard),
    UpdateExpression: 'SET asOf = :asOf',
    ConditionExpression: 'asOf > :asOf',
    ExpressionAttributeValues: { ':asOf': asOf },
  });
  return updated !== undefined;
}

/** Moves a group shard's watermark forward to `asOf` (never back: a backfill does not undo a later run). */
export async function advanceShardWatermark(groupShard: string, asOf: BusinessDate): Promise<void> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName('runs'),
        Item: { ...jobKeys.watermark(groupShard), asOf },
        ConditionExpression: 'attribute_not_exists(pk) OR asOf < :asOf',
        ExpressionAttributeValues: { ':asOf': asOf },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** The watermark of every group shard that has one. */
export async function readShardWatermarks(): Promise<BusinessDate[]> {
  const keys = Array.from({ length: GROUP_SHARDS }, (_, i) => jobKeys.watermark(shardKey(i)));
  const items = await batchGetAll(tableName('runs'), keys, { expression: '#asOf', names: { '#asOf': 'asOf' } });
  return items.map((item) => item.asOf as BusinessDate);
}
