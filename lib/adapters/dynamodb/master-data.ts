import { GetCommand, ScanCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { Locale } from '../../program/program-config.js';
import { batchGetAll } from './batch.js';
import { dynamo } from './client.js';
import { queryAll } from './query.js';

export interface GroupRecord {
  groupId: string;
  name: string;
  contacts: string[];
  locale: Locale;
}
export interface ClientRecord {
  clientId: string;
  name: string;
  email?: string;
  groupId?: string;
}

function groupRecordFromItem(item: Record<string, NativeAttributeValue>): GroupRecord {
  return { groupId: item.groupId, name: item.name, contacts: item.contacts ?? [], locale: item.locale };
}

function clientRecordFromItem(item: Record<string, NativeAttributeValue>): ClientRecord {
  return { clientId: item.clientId, name: item.name, email: item.email, groupId: item.groupId };
}

/** The group master record, if the ERP has sent one. */
export async function getGroupRecord(groupId: string): Promise<GroupRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('groups'), Key: { groupId } }));
  return Item ? groupRecordFromItem(Item) : undefined;
}

/** The client master record, if the ERP has sent one. */
export async function getClientRecord(clientId: string): Promise<ClientRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('clients'), Key: { clientId } }));
  return Item ? clientRecordFromItem(Item) : undefined;
}

/** Client ids currently in a group (by current membership, not history). */
export async function listGroupMembers(groupId: string): Promise<string[]> {
  const items = await queryAll({
    TableName: tableName('clients'),
    IndexName: 'byGroup',
    KeyConditionExpression: 'groupId = :g',
    ExpressionAttributeValues: { ':g': groupId },
  });
  return items.map((item) => item.clientId as string);
}

/**
 * The current group of every client with master data in one order shard, read from the clients' shard
 * index in large pages; a client without a group is its own group (§2.2). A client missing from the map
 * has no master data: it is its own group too.
 */
export async function readShardMembership(shard: string): Promise<Map<string, string>> {
  const items = await queryAll({
    TableName: tableName('clients'),
    IndexName: 'byShard',
    KeyConditionExpression: '#shard = :shard',
    ExpressionAttributeNames: { '#shard': 'shard' },
    ExpressionAttributeValues: { ':shard': shard },
  });
  return new Map(items.map((item) => [item.clientId as string, (item.groupId as string | undefined) ?? (item.clientId as string)]));
}

/**
 * One segment of a parallel scan of the group master records (segment `segment` of `segments`): every
 * record appears in exactly one segment, so the segments together read each group once.
 */
export async function scanGroupRecords(segment: number, segments: number): Promise<GroupRecord[]> {
  const records: GroupRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tableName('groups'),
        Segment: segment,
        TotalSegments: segments,
        ProjectionExpression: 'groupId, #name, contacts, locale',
        ExpressionAttributeNames: { '#name': 'name' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) records.push(groupRecordFromItem(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}

/** The group master records of the given ids that exist. */
export async function readGroupRecords(groupIds: readonly string[]): Promise<GroupRecord[]> {
  const items = await batchGetAll(tableName('groups'), groupIds.map((groupId) => ({ groupId })));
  return items.map(groupRecordFromItem);
}

/** The client master records of the given ids that exist. */
export async function readClientRecords(clientIds: readonly string[]): Promise<ClientRecord[]> {
  const items = await batchGetAll(tableName('clients'), clientIds.map((clientId) => ({ clientId })));
  return items.map(clientRecordFromItem);
}
