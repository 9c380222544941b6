import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import { dynamo } from './client.js';
import { queryAll } from './query.js';

/** All versions live in one partition: a handful of small items, read in one query. */
const PARTITION = 'program';
const versionKey = (version: number) => ({ pk: PARTITION, version });

/** A program version as stored: the program as canonical JSON (lib/program/program-config.ts programToJson). */
export interface StoredProgramVersion {
  version: number;
  effectiveFrom: BusinessDate;
  createdAt: string;
  program: unknown;
}

function fromItem(item: Record<string, NativeAttributeValue>): StoredProgramVersion {
  return { version: Number(item.version), effectiveFrom: item.effectiveFrom, createdAt: item.createdAt, program: JSON.parse(item.program as string) };
}

/** Every stored version, newest first (strongly consistent: a PUT decides its number on it). */
export async function listProgramVersions(): Promise<StoredProgramVersion[]> {
  const items = await queryAll({
    TableName: tableName('programVersions'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': PARTITION },
    ScanIndexForward: false,
    ConsistentRead: true,
  });
  return items.map(fromItem);
}

/** One stored version by number (versions never change once written). */
export async function getProgramVersion(version: number): Promise<StoredProgramVersion | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('programVersions'), Key: versionKey(version), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/**
 * Writes a version under its number unless that number is taken: two writers racing for one number get
 * one success and one `false`, so concurrent PUTs end up with distinct numbers.
 */
export async function insertProgramVersion(version: StoredProgramVersion): Promise<boolean> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName('programVersions'),
        Item: { ...versionKey(version.version), effectiveFrom: version.effectiveFrom, createdAt: version.createdAt, program: JSON.stringify(version.program) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
