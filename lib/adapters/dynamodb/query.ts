import { QueryCommand, type NativeAttributeValue, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './client.js';

type Item = Record<string, NativeAttributeValue>;

/** A query's result page by page (1 MB each), so a caller can fold large results without holding them. */
export async function* queryPages(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): AsyncGenerator<Item[]> {
  let startKey: Item | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Every item a query matches, or its first `limit` items. */
export async function queryAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>, limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(Number.isFinite(limit) ? { ...input, Limit: limit } : input)) {
    items.push(...page);
    if (items.length >= limit) return items.slice(0, limit);
  }
  return items;
}
