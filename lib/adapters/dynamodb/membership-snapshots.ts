import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import { dynamo } from './client.js';
import { jobKeys } from './job-keys.js';
import { MAX_CHUNK_BYTES } from './json-chunks.js';

/** The groups of the clients an order shard's last window had, as read at `takenAt` (an ISO time). */
export interface MembershipSnapshot {
  takenAt: string;
  groups: Map<string, string>;
}

/** The shard's membership snapshot, if a job has recorded one. */
export async function readMembershipSnapshot(orderShard: string): Promise<MembershipSnapshot | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('runs'), Key: jobKeys.membership(orderShard), ConsistentRead: true }));
  if (!Item) return undefined;
  return { takenAt: Item.takenAt as string, groups: new Map(JSON.parse(Item.groups as string) as [string, string][]) };
}

/**
 * Records the shard's membership snapshot as one item of compact JSON (clientId → groupId pairs). Window
 * clients too many for an item record none: the shard keeps the older snapshot, still true as of its time.
 */
export async function putMembershipSnapshot(orderShard: string, snapshot: MembershipSnapshot): Promise<void> {
  const groups = JSON.stringify([...snapshot.groups]);
  if (Buffer.byteLength(groups, 'utf8') > MAX_CHUNK_BYTES) return;
  await dynamo.send(new PutCommand({ TableName: tableName('runs'), Item: { ...jobKeys.membership(orderShard), takenAt: snapshot.takenAt, groups } }));
}
