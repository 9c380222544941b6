import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { chunk, mapWithConcurrency } from '../../concurrency.js';
import { batchGetAll } from './batch.js';
import { dynamo } from './client.js';

type Item = Record<string, NativeAttributeValue> & { version: number };

/** How many items of a batch changed the store and how many were duplicates or older versions. */
export interface UpsertOutcome {
  accepted: number;
  unchanged: number;
}

/** Keys per version read; each chunk's versions are read just before the chunk is written. */
const CHUNK = 100;

/**
 * Stores each item unless the stored one has an equal or higher `version` (§2.2, §2.3). Within a batch the
 * highest version per key wins; every write is conditional, so concurrent and out-of-order deliveries can
 * never replace a newer version. Chunks are read (one BatchGet) just before they are written, starting at
 * a random chunk, so concurrent copies of one batch mostly find each other's writes and skip them.
 */
export async function upsertByVersion(table: string, keyName: string, items: readonly Item[]): Promise<UpsertOutcome> {
  const newest = new Map<string, Item>();
  for (const item of items) {
    const key = item[keyName] as string;
    const seen = newest.get(key);
    if (!seen || item.version > seen.version) newest.set(key, item);
  }
  const chunks = chunk([...newest.values()], CHUNK);
  const first = Math.floor(Math.random() * chunks.length);
  let accepted = 0;
  for (let i = 0; i < chunks.length; i++) {
    accepted += await upsertChunk(table, keyName, chunks[(first + i) % chunks.length]!);
  }
  return { accepted, unchanged: items.length - accepted };
}

async function upsertChunk(table: string, keyName: string, items: Item[]): Promise<number> {
  const stored = await batchGetAll(
    table,
    items.map((item) => ({ [keyName]: item[keyName] })),
    { expression: '#k, #v', names: { '#k': keyName, '#v': 'version' } },
  );
  const storedVersion = new Map(stored.map((item) => [item[keyName] as string, item.version as number]));
  const candidates = items.filter((item) => {
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
  return written.filter(Boolean).length;
}
