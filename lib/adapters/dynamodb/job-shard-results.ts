import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import { dynamo } from './client.js';
import { jobDataExpiresAt } from './jobs.js';
import { jobKeyPrefixes, jobKeys, jobPartition } from './job-keys.js';
import { queryAll } from './query.js';

/** What one reduce shard found, and how many chunks of rows it wrote. */
export interface ShardResult {
  result: unknown;
  rowChunks: number;
}

/**
 * Records what one reduce shard found. `firstStands`: a later attempt leaves the first record in place (a
 * recalculation's retried shard finds its changes already applied and would count fewer); otherwise the
 * latest attempt's record replaces it (a read-only kind computes the same again, on the data as it is now).
 */
export async function putShardResult(jobId: string, reduceShard: string, shard: ShardResult, options: { firstStands: boolean }): Promise<void> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName('runs'),
        Item: { ...jobKeys.shardResult(jobId, reduceShard), result: JSON.stringify(shard.result), rowChunks: shard.rowChunks, expiresAt: jobDataExpiresAt() },
        ...(options.firstStands ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Every reduce shard's record of a job, by shard. */
export async function readShardResults(jobId: string): Promise<Map<string, ShardResult>> {
  const items = await queryAll({
    TableName: tableName('runs'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': jobPartition(jobId), ':prefix': jobKeyPrefixes.shardResults },
    ConsistentRead: true,
  });
  return new Map(
    items.map((item) => [(item.sk as string).slice(jobKeyPrefixes.shardResults.length), { result: JSON.parse(item.result as string), rowChunks: Number(item.rowChunks ?? 0) }]),
  );
}
