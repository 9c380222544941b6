import { BatchGetCommand, BatchWriteCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { chunk, mapWithConcurrency, sleep } from '../../concurrency.js';
import { dynamo } from './client.js';

type Item = Record<string, NativeAttributeValue>;
const MAX_ROUNDS = 10;

/**
 * Reads many items by key (100 per request), retrying unprocessed keys with backoff; `consistent` for a
 * strongly consistent read of items another task has just written.
 */
export async function batchGetAll(
  table: string,
  keys: Item[],
  projection?: { expression: string; names: Record<string, string> },
  consistent = false,
): Promise<Item[]> {
  const found: Item[] = [];
  await mapWithConcurrency(chunk(keys, 100), 4, async (keyChunk) => {
    let pending: Item[] = keyChunk;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchGet on ${table}: keys still unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
      const result = await dynamo.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ...(consistent ? { ConsistentRead: true } : {}),
              ...(projection ? { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names } : {}),
            },
          },
        }),
      );
      found.push(...(result.Responses?.[table] ?? []));
      pending = (result.UnprocessedKeys?.[table]?.Keys as Item[] | undefined) ?? [];
    }
  });
  return found;
}

/** Writes many items unconditionally (25 per request), retrying unprocessed ones with backoff. */
export async function batchPutAll(table: string, items: Item[], concurrency = 4): Promise<void> {
  await mapWithConcurrency(chunk(items, 25), concurrency, async (itemChunk) => {
    let pending = itemChunk.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchWrite on ${table}: items still unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
      const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] as typeof pending | undefined) ?? [];
    }
  });
}
