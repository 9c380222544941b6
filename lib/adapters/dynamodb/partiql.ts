import { BatchExecuteStatementCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { chunk, mapWithConcurrency, sleep } from '../../concurrency.js';
import { dynamo } from './client.js';

type Item = Record<string, NativeAttributeValue>;

/** PartiQL statements per BatchExecuteStatement (the DynamoDB limit). */
export const STATEMENTS_PER_REQUEST = 25;
/** Statement errors worth another try: the service was busy, the write itself was fine. */
export const RETRYABLE_STATEMENT_ERRORS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded', 'InternalServerError', 'TransactionConflict']);
const MAX_ROUNDS = 10;

/** A table or attribute name as a PartiQL identifier. */
export const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** The attributes of an item that have a value (`undefined` ones are not written). */
export const present = (item: Item) => Object.entries(item).filter(([, value]) => value !== undefined);

/** `INSERT`: stores the item, failing with DuplicateItem when its key is already stored. */
export function insertStatement(table: string, item: Item) {
  const attributes = present(item);
  return {
    Statement: `INSERT INTO ${quoted(table)} VALUE {${attributes.map(([name]) => `'${name.replaceAll("'", "''")}': ?`).join(', ')}}`,
    Parameters: attributes.map(([, value]) => value),
  };
}

/**
 * Stores each item whose key is not stored yet and leaves stored ones exactly as they are (the first
 * write stands), 25 conditional inserts to a request, `concurrency` requests at once. Returns how many were new.
 */
export async function insertAllNew(table: string, items: readonly Item[], concurrency = 4): Promise<number> {
  const inserted = await mapWithConcurrency(chunk(items, STATEMENTS_PER_REQUEST), concurrency, async (batch) => {
    let created = 0;
    let pending = batch;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchExecuteStatement on ${table}: inserts still throttled after ${MAX_ROUNDS} rounds`);
      if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
      const { Responses = [] } = await dynamo.send(new BatchExecuteStatementCommand({ Statements: pending.map((item) => insertStatement(table, item)) }));
      const again: Item[] = [];
      pending.forEach((item, index) => {
        const error = Responses[index]?.Error;
        if (!error) created++;
        else if (RETRYABLE_STATEMENT_ERRORS.has(error.Code ?? '')) again.push(item);
        else if (error.Code !== 'DuplicateItem') throw new Error(`BatchExecuteStatement on ${table}: ${error.Code}: ${error.Message}`);
      });
      pending = again;
    }
    return created;
  });
  return inserted.reduce((total, count) => total + count, 0);
}
