import { DeleteCommand, GetCommand, PutCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import { shardOf } from '../../domain/sharding.js';
import { GROUP_SHARDS } from '../../infra/resources.js';
import { dynamo } from './client.js';
import { queryAll } from './query.js';

/** A tier floor of one group (§4.2): at least `tierId` for every run date up to `until`. */
export interface GroupFloor {
  groupId: string;
  tierId: string;
  until: BusinessDate;
  note: string;
  setAt: string;
}

/** Floors are keyed by the group's shard, so a reduce shard finds all of its floors with one query. */
const floorKey = (groupId: string) => ({ shard: shardOf(groupId, GROUP_SHARDS), groupId });

function fromItem(item: Record<string, NativeAttributeValue>): GroupFloor {
  return { groupId: item.groupId, tierId: item.tierId, until: item.until, note: item.note ?? '', setAt: item.setAt };
}

/** Sets (or replaces) a group's floor. */
export async function putGroupFloor(floor: GroupFloor): Promise<void> {
  await dynamo.send(new PutCommand({ TableName: tableName('groupFloors'), Item: { ...floor, ...floorKey(floor.groupId) } }));
}

/** Removes a group's floor (nothing happens when it has none). */
export async function deleteGroupFloor(groupId: string): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: tableName('groupFloors'), Key: floorKey(groupId) }));
}

/** A group's floor, if one is set (expired ones included: the reader compares `until` with its date). */
export async function getGroupFloor(groupId: string): Promise<GroupFloor | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('groupFloors'), Key: floorKey(groupId) }));
  return Item ? fromItem(Item) : undefined;
}

/** Every floor set on the groups of one group shard, by group. */
export async function readShardFloors(groupShard: string): Promise<Map<string, GroupFloor>> {
  const items = await queryAll({
    TableName: tableName('groupFloors'),
    KeyConditionExpression: '#shard = :shard',
    ExpressionAttributeNames: { '#shard': 'shard' },
    ExpressionAttributeValues: { ':shard': groupShard },
    ConsistentRead: true,
  });
  return new Map(items.map((item) => [item.groupId as string, fromItem(item)]));
}
