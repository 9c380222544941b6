import { tableName } from '../../config.js';
import type { TierChange } from '../../domain/group-evaluation.js';
import { batchPutAll } from './batch.js';
import { queryAll } from './query.js';
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
  const items = await queryAll(
    {
      TableName: tableName('tierChanges'),
      KeyConditionExpression: 'groupId = :g AND seq <= :through',
      ExpressionAttributeValues: { ':g': groupId, ':through': throughSeq },
      ScanIndexForward: false,
    },
    limit,
  );
  return items.map(tierChangeFromItem);
}
