import { BatchExecuteStatementCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { chunk, mapWithConcurrency, sleep } from '../../concurrency.js';
import { batchGetAll } from './batch.js';
import { dynamo } from './client.js';
import { insertStatement, present, quoted, RETRYABLE_STATEMENT_ERRORS, STATEMENTS_PER_REQUEST } from './partiql.js';

/**
 * An item to store by version. A key whose value is `undefined` names an optional attribute the new
 * version does not have: it is removed from the stored item.
 */
type Item = Record<string, NativeAttributeValue> & { version: number };

/** How many items of a batch changed the store and how many were duplicates or older versions. */
export interface UpsertOutcome {
  accepted: number;
  unchanged: number;
}

/** Keys per version read; each chunk's versions are read just before the chunk is written. */
const CHUNK = 100;
const MAX_ROUNDS = 10;

/**
 * Stores each item unless the stored one has an equal or higher `version` (§2.2, §2.3). Within a batch the
 * highest version per key wins. Writes go 25 to a request as PartiQL statements, each its own conditional
 * write: `INSERT` (fails if the key exists) for keys not stored yet, `UPDATE … WHERE version < ?` for stored
 * ones. So concurrent and out-of-order deliveries can never replace a newer version: an INSERT that loses a
 * race is retried as an UPDATE, an UPDATE that loses one leaves the newer version in place.
 */
export async function upsertByVersion(table: string, keyName: string, items: readonly Item[]): Promise<UpsertOutcome> {
  const newest = new Map<string, Item>();
  for (const item of items) {
    const key = item[keyName] as string;
    const seen = newest.get(key);
    if (!seen || item.version > seen.version) newest.set(key, item);
  }
  const chunks = chunk([...newest.values()], CHUNK);
  // Starting at a random chunk, concurrent copies of one batch mostly find each other's writes and skip them.
  const first = Math.floor(Math.random() * chunks.length);
  let accepted = 0;
  for (let i = 0; i < chunks.length; i++) {
    accepted += await upsertChunk(table, keyName, chunks[(first + i) % chunks.length]!);
  }
  return { accepted, unchanged: items.length - accepted };
}

type Write = { item: Item; stored: boolean };

async function upsertChunk(table: string, keyName: string, items: Item[]): Promise<number> {
  const storedVersion = await readVersions(table, keyName, items);
  const writes: Write[] = [];
  for (const item of items) {
    const version = storedVersion.get(item[keyName] as string);
    if (version === undefined || version < item.version) writes.push({ item, stored: version !== undefined });
  }
  const written = await mapWithConcurrency(chunk(writes, STATEMENTS_PER_REQUEST), 4, (batch) => executeWrites(table, keyName, batch));
  return written.reduce((total, count) => total + count, 0);
}

async function readVersions(table: string, keyName: string, items: Item[]): Promise<Map<string, number>> {
  const stored = await batchGetAll(
    table,
    items.map((item) => ({ [keyName]: item[keyName] })),
    { expression: '#k, #v', names: { '#k': keyName, '#v': 'version' } },
  );
  return new Map(stored.map((item) => [item[keyName] as string, item.version as number]));
}

/** Runs one request's conditional writes; returns how many stored a new version. */
async function executeWrites(table: string, keyName: string, writes: Write[]): Promise<number> {
  let written = 0;
  let pending = writes;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS) throw new Error(`BatchExecuteStatement on ${table}: writes still throttled after ${MAX_ROUNDS} rounds`);
    if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
    const { Responses = [] } = await dynamo.send(
      new BatchExecuteStatementCommand({ Statements: pending.map((write) => write.stored ? updateStatement(table, keyName, write.item) : insertStatement(table, write.item)) }),
    );
    const again: Write[] = [];
    pending.forEach((write, index) => {
      const code = Responses[index]?.Error?.Code;
      if (!code) written++;
      else if (code === 'DuplicateItem') again.push({ ...write, stored: true }); // inserted by someone else meanwhile: compare versions
      else if (RETRYABLE_STATEMENT_ERRORS.has(code)) again.push(write);
      else if (code !== 'ConditionalCheckFailed') throw new Error(`BatchExecuteStatement on ${table}: ${code}: ${Responses[index]?.Error?.Message}`);
      // ConditionalCheckFailed: an equal or newer version is stored; this one changes nothing.
    });
    pending = again;
  }
  return written;
}

/** `UPDATE`: replaces every attribute of a stored item whose version is lower, removing the absent ones. */
function updateStatement(table: string, keyName: string, item: Item) {
  const sets = present(item).filter(([name]) => name !== keyName);
  const removes = Object.keys(item).filter((name) => item[name] === undefined);
  return {
    Statement: [
      `UPDATE ${quoted(table)}`,
      ...sets.map(([name]) => `SET ${quoted(name)} = ?`),
      ...removes.map((name) => `REMOVE ${quoted(name)}`),
      `WHERE ${quoted(keyName)} = ? AND "version" < ?`,
    ].join(' '),
    Parameters: [...sets.map(([, value]) => value), item[keyName], item.version],
  };
}
