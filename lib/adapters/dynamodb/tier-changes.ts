import { QueryCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { TierChange } from '../../domain/group-evaluation.js';
import { batchPutAll } from './batch.js';
import { dynamo } from './client.js';
import { tierChangeFromItem, tierChangeToItem } from './group-state.js';

/**
 * Appends tier changes to their groups' history, keyed by the group's change counter: writing the same
 * change again (a retried shard) overwrites it identically.
 */
export async function recordTierChanges(changes: readonly TierChange[]): Promise<void> {
  await batchPutAll(tableName('tierChanges'), changes.map((change) => ({ ...tierChangeToItem(change), recordedAt: new Date().toISOString() })));
}

/**
 * A group's tier changes, newest first, up to `throughSeq` (the group state's change counter): a change
 * written by a worker that died before applying the state never happened and is not shown.
 */
export async function listTierChanges(groupId: string, throughSeq: number, limit = 100): Promise<TierChange[]> {
  const changes: TierChange[] = [];
  let startKey: Record<string, NativeAttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: tableName('tierChanges'),
        KeyConditionExpression: 'groupId = :g AND seq <= :through',
        ExpressionAttributeValues: { ':g': groupId, ':through': throughSeq },
        ScanIndexForward: false,
        Limit: limit - changes.length,
        ExclusiveStartKey: startKey,
      }),
    );
    changes.push(...(page.Items ?? []).map(tierChangeFromItem));
    startKey = page.LastEvaluatedKey;
  } while (startKey && changes.length < limit);
  return changes;
}
