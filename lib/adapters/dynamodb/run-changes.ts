import { tableName } from '../../config.js';
import type { TierChange } from '../../domain/group-evaluation.js';
import { batchPutAll } from './batch.js';
import { tierChangeFromItem, tierChangeToItem } from './group-state.js';
import { jobDataExpiresAt } from './jobs.js';
import { jobKeyPrefixes, jobKeys, jobPartition } from './job-keys.js';
import { queryAll } from './query.js';

/**
 * Records the tier changes a run made, under the run, for its report. Writing the same change again (a
 * retried shard) overwrites it identically.
 */
export async function recordRunChanges(runId: string, changes: readonly TierChange[]): Promise<void> {
  const items = changes.map((change) => ({ ...jobKeys.runChange(runId, change.eventId), ...tierChangeToItem(change), expiresAt: jobDataExpiresAt() }));
  await batchPutAll(tableName('runs'), items);
}

/** Every tier change of a run, by group. */
export async function listRunChanges(runId: string): Promise<TierChange[]> {
  const items = await queryAll({
    TableName: tableName('runs'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': jobPartition(runId), ':prefix': jobKeyPrefixes.runChanges },
  });
  return items.map(tierChangeFromItem);
}
