import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { Locale } from '../../program/program-config.js';
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

/** The group master record, if the ERP has sent one. */
export async function getGroupRecord(groupId: string): Promise<GroupRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('groups'), Key: { groupId } }));
  return Item ? { groupId, name: Item.name, contacts: Item.contacts ?? [], locale: Item.locale } : undefined;
}

/** The client master record, if the ERP has sent one. */
export async function getClientRecord(clientId: string): Promise<ClientRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('clients'), Key: { clientId } }));
  return Item ? { clientId, name: Item.name, email: Item.email, groupId: Item.groupId } : undefined;
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
 * index in large pages. A client missing from the map is its own group (§2.2).
 */
export async function readShardMembership(shard: string): Promise<Map<string, string>> {
  const items = await queryAll({
    TableName: tableName('clients'),
    IndexName: 'byShard',
    KeyConditionExpression: '#shard = :shard',
    ExpressionAttributeNames: { '#shard': 'shard' },
    ExpressionAttributeValues: { ':shard': shard },
  });
  return new Map(items.filter((item) => item.groupId).map((item) => [item.clientId as string, item.groupId as string]));
}
