import { QueryCommand, type NativeAttributeValue, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import { shardOf } from '../../domain/sharding.js';
import { GROUP_SHARDS } from '../../infra/resources.js';
import { dynamo } from './client.js';
import { updateIfConditionHolds } from './conditional.js';
import { insertAllNew } from './partiql.js';
import { queryAll, queryPages } from './query.js';

type Item = Record<string, NativeAttributeValue>;

/** A way a delivery reaches its recipients; each channel has its queue and its consumer. */
export type DeliveryChannel = 'email' | 'priceList';

/** What a consumer recorded when it applied a delivery on its channel. */
export interface ChannelReceipt {
  at: string;
  /** e.g. `sent`, `no-contacts`, `erp-acknowledged`, `recorded`. */
  outcome: string;
}

/**
 * One change (or notice) the system owes its channels: the message body it publishes, which channels
 * still owe it, and what each channel's consumer recorded. Owed until every channel has recorded it.
 */
export interface Delivery {
  eventId: string;
  /** What the body is: `tier-change`, or a notice's kind (`at-risk`, `near-next-tier`). */
  kind: string;
  groupId: string;
  /** The queue message body, published unchanged to every channel. */
  body: string;
  owed: DeliveryChannel[];
  delivered: Partial<Record<DeliveryChannel, ChannelReceipt>>;
  recordedAt: string;
  /** When it was last published (first publish, or a sweep's). */
  publishedAt: string;
  publishCount: number;
}

export type NewDelivery = Pick<Delivery, 'eventId' | 'kind' | 'groupId' | 'body' | 'owed'>;

/** A fully delivered record is kept this long for inspection, then expires in AWS. */
const DELIVERED_TTL_SECONDS = 60 * 24 * 3600;

/**
 * The sparse-index attributes an owed delivery carries: its group's shard spreads the index over
 * partitions, and the last publish time (made unique by the eventId) orders each shard oldest first.
 */
function owedIndexKey(delivery: Pick<Delivery, 'eventId' | 'groupId'>, publishedAt: string) {
  return { owedShard: shardOf(delivery.groupId, GROUP_SHARDS), owedKey: `${publishedAt}#${delivery.eventId}` };
}

function deliveryFromItem(item: Item): Delivery {
  return {
    eventId: item.eventId,
    kind: item.kind,
    groupId: item.groupId,
    body: item.body,
    owed: [...((item.owed as Set<DeliveryChannel> | undefined) ?? [])].sort(),
    delivered: item.delivered ?? {},
    recordedAt: item.recordedAt,
    publishedAt: item.publishedAt,
    publishCount: Number(item.publishCount ?? 1),
  };
}

/**
 * Records deliveries as owed on all their channels, just before they are first published. A delivery
 * already recorded (its change published again after a crash) is left as it stands, receipts and all.
 */
export async function recordOwedDeliveries(deliveries: readonly NewDelivery[], publishedAt: string): Promise<void> {
  const items = deliveries.map((delivery) => ({
    ...delivery,
    owed: new Set(delivery.owed),
    delivered: {},
    recordedAt: publishedAt,
    publishedAt,
    publishCount: 1,
    ...owedIndexKey(delivery, publishedAt),
  }));
  await insertAllNew(tableName('deliveries'), items);
}

/** Updates a delivery the ledger knows; undefined for an eventId it does not know (nothing is created). */
function updateKnownDelivery(eventId: string, update: Omit<UpdateCommandInput, 'TableName' | 'Key' | 'ConditionExpression'>) {
  return updateIfConditionHolds({ TableName: tableName('deliveries'), Key: { eventId }, ConditionExpression: 'attribute_exists(eventId)', ...update });
}

/**
 * Records that a channel's consumer applied a delivery; once no channel owes it, it leaves the owed index.
 * Returns false for an eventId the ledger does not know (a message published before the ledger existed).
 */
export async function recordDelivered(eventId: string, channel: DeliveryChannel, outcome: string): Promise<boolean> {
  const updated = await updateKnownDelivery(eventId, {
    // The first receipt of a channel stands: a redelivery the consumer deduped records nothing new.
    UpdateExpression: 'DELETE #owed :channel SET delivered.#channel = if_not_exists(delivered.#channel, :receipt)',
    ExpressionAttributeNames: { '#owed': 'owed', '#channel': channel },
    ExpressionAttributeValues: { ':channel': new Set([channel]), ':receipt': { at: new Date().toISOString(), outcome } },
    ReturnValues: 'ALL_NEW',
  });
  if (!updated) return false;
  if (!updated.Attributes!.owed && updated.Attributes!.owedShard) await settleDelivery(eventId);
  return true;
}

/**
 * Takes a delivery no channel owes any more out of the owed index and lets it expire. A crash before this
 * leaves it in the index with nothing owed, which the next sweep settles instead of publishing.
 */
export async function settleDelivery(eventId: string): Promise<void> {
  await updateIfConditionHolds({
    TableName: tableName('deliveries'),
    Key: { eventId },
    UpdateExpression: 'REMOVE owedShard, owedKey SET settledAt = :now, expiresAt = :expires',
    ConditionExpression: 'attribute_not_exists(#owed) AND attribute_exists(owedShard)',
    ExpressionAttributeNames: { '#owed': 'owed' },
    ExpressionAttributeValues: { ':now': new Date().toISOString(), ':expires': Math.floor(Date.now() / 1000) + DELIVERED_TTL_SECONDS },
  });
}

/**
 * Notes that a sweep published an owed delivery again: it moves to the back of its shard's order. Only if
 * it is still owed as the sweep saw it, so a delivery settled meanwhile does not re-enter the index.
 */
export async function recordRepublished(delivery: Delivery, publishedAt: string): Promise<void> {
  await updateIfConditionHolds({
    TableName: tableName('deliveries'),
    Key: { eventId: delivery.eventId },
    UpdateExpression: 'SET publishedAt = :at, owedKey = :key ADD publishCount :one',
    ConditionExpression: 'owedKey = :seen',
    ExpressionAttributeValues: {
      ':at': publishedAt,
      ':key': owedIndexKey(delivery, publishedAt).owedKey,
      ':seen': owedIndexKey(delivery, delivery.publishedAt).owedKey,
      ':one': 1,
    },
  });
}

function owedQuery(shard: string, publishedBefore?: string) {
  return {
    TableName: tableName('deliveries'),
    IndexName: 'owedByShard',
    KeyConditionExpression: publishedBefore ? 'owedShard = :shard AND owedKey < :before' : 'owedShard = :shard',
    ExpressionAttributeValues: { ':shard': shard, ...(publishedBefore ? { ':before': publishedBefore } : {}) },
  };
}

/** The owed deliveries of one group shard last published before the given instant, oldest first, page by page. */
export async function* owedDeliveryPages(shard: string, publishedBefore?: string): AsyncGenerator<Delivery[]> {
  for await (const page of queryPages(owedQuery(shard, publishedBefore))) yield page.map(deliveryFromItem);
}

/** The first `limit` owed deliveries of one group shard, oldest publish first. */
export async function listOwedDeliveries(shard: string, limit: number): Promise<Delivery[]> {
  return (await queryAll(owedQuery(shard), limit)).map(deliveryFromItem);
}

/** How many deliveries one group shard still owes. */
export async function countOwedDeliveries(shard: string): Promise<number> {
  let count = 0;
  let startKey: Item | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...owedQuery(shard), Select: 'COUNT', ExclusiveStartKey: startKey }));
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/**
 * What the ledger knows of the email of one delivery before a send: whether the ledger knows the eventId
 * at all, when an earlier attempt started that nobody saw end (a crash, or SES not answering), and whether
 * SES's Send event has since said it took the email.
 */
export interface EmailAttempts {
  tracked: boolean;
  unfinishedAttemptAt?: string;
  sesAccepted?: { messageId: string; at: string };
}

/**
 * Notes that an email attempt starts now, unless an earlier one is noted, and returns what the ledger knew
 * before: one round trip before each send. The earlier attempt's time is kept, so a retry that waits for
 * SES's Send event counts from that attempt.
 */
export async function beginEmailAttempt(eventId: string, at: string): Promise<EmailAttempts> {
  const updated = await updateKnownDelivery(eventId, {
    UpdateExpression: 'SET emailAttemptAt = if_not_exists(emailAttemptAt, :at)',
    ExpressionAttributeValues: { ':at': at },
    ReturnValues: 'ALL_OLD',
  });
  if (!updated) return { tracked: false };
  const before = updated.Attributes ?? {};
  return {
    tracked: true,
    ...(before.emailAttemptAt ? { unfinishedAttemptAt: before.emailAttemptAt as string } : {}),
    ...(before.sesAccepted ? { sesAccepted: before.sesAccepted as { messageId: string; at: string } } : {}),
  };
}

/** Notes that a new attempt starts now, after an earlier one SES never took: a later retry counts from this one. */
export async function renewEmailAttempt(eventId: string, at: string): Promise<void> {
  await updateKnownDelivery(eventId, {
    UpdateExpression: 'SET emailAttemptAt = :at',
    ExpressionAttributeValues: { ':at': at },
  });
}

/** Forgets an attempt SES answered with a refusal: it did not take the email, so the retry need not wait. */
export async function forgetEmailAttempt(eventId: string): Promise<void> {
  await updateKnownDelivery(eventId, { UpdateExpression: 'REMOVE emailAttemptAt' });
}

/**
 * Records SES's Send event for a delivery's email; the first one stands. Returns false for an eventId the
 * ledger does not know.
 */
export async function recordSesAccepted(eventId: string, accepted: { messageId: string; at: string }): Promise<boolean> {
  const updated = await updateKnownDelivery(eventId, {
    UpdateExpression: 'SET sesAccepted = if_not_exists(sesAccepted, :accepted)',
    ExpressionAttributeValues: { ':accepted': accepted },
  });
  return updated !== undefined;
}
