import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../../concurrency.js';
import { batchGetAll } from './batch.js';
import { dynamo } from './client.js';

type Item = Record<string, NativeAttributeValue> & { version: number };

/** How many items of a batch changed the store and how many were duplicates or older versions. */
export interface UpsertOutcome {
  accepted: number;
  unchanged: number;
}

/**
 * Stores each item unless the stored one has an equal or higher `version` (§2.2, §2.3). Within a batch the
 * highest version per key wins; a batch read skips known-stale items cheaply; every write is conditional,
 * so concurrent and out-of-order deliveries can never replace a newer version.
 */
export async function upsertByVersion(table: string, keyName: string, items: readonly Item[]): Promise<UpsertOutcome> {
  const newest = new Map<string, Item>();
  for (const item of items) {
    const key = item[keyName] as string;
    const seen = newest.get(key);
    if (!seen || item.version > seen.version) newest.set(key, item);
  }
  const stored = await batchGetAll(
    table,
    [...newest.keys()].map((key) => ({ [keyName]: key })),
    { expression: '#k, #v', names: { '#k': keyName, '#v': 'version' } },
  );
  const storedVersion = new Map(stored.map((item) => [item[keyName] as string, item.version as number]));
  const candidates = [...newest.values()].filter((item) => {
    const version = storedVersion.get(item[keyName] as string);
    return version === undefined || version < item.version;
  });
  const written = await mapWithConcurrency(candidates, 16, async (item) => {
    try {
      await dynamo.send(
        new PutCommand({
          TableName: table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#k) OR #v < :v',
          ExpressionAttributeNames: { '#k': keyName, '#v': 'version' },
          ExpressionAttributeValues: { ':v': item.version },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false; // a newer version landed first
      throw error;
    }
  });
  const accepted = written.filter(Boolean).length;
  return { accepted, unchanged: items.length - accepted };
}
