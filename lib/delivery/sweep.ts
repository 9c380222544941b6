import { mapWithConcurrency } from '../concurrency.js';
import { redeliverAfterMinutes } from '../config.js';
import {
  countOwedDeliveries,
  listOwedDeliveries,
  owedDeliveryPages,
  recordRepublished,
  settleDelivery,
  type Delivery,
  type DeliveryChannel,
} from '../adapters/dynamodb/deliveries.js';
import { shardKey } from '../domain/sharding.js';
import { GROUP_SHARDS } from '../infra/resources.js';
import { logger, metrics } from '../observability.js';
import { sendToChannels } from './publish.js';

/** What one sweep found and did. */
export interface SweepResult {
  olderThanMinutes: number;
  /** Deliveries published again (to the channels that still owed them). */
  republished: number;
  channels: Record<DeliveryChannel, number>;
  /** Deliveries every channel had recorded but that were still listed as owed (a crash in between). */
  settled: number;
}

const shards = () => Array.from({ length: GROUP_SHARDS }, (_, i) => shardKey(i));

/**
 * Publishes again every delivery still owed that was last published more than `olderThanMinutes` ago, to
 * the channels that still owe it only; consumers dedupe by eventId, so a delivery that was merely slow is
 * applied once all the same. Runs at the end of every run and on demand (`POST /admin/deliveries/sweep`).
 */
export async function sweepOwedDeliveries(olderThanMinutes = redeliverAfterMinutes): Promise<SweepResult> {
  const now = Date.now();
  const before = new Date(now - olderThanMinutes * 60_000).toISOString();
  const result: SweepResult = { olderThanMinutes, republished: 0, channels: { email: 0, priceList: 0 }, settled: 0 };
  await mapWithConcurrency(shards(), 4, async (shard) => {
    for await (const page of owedDeliveryPages(shard, before)) {
      const settled = page.filter((delivery) => delivery.owed.length === 0);
      const owed = page.filter((delivery) => delivery.owed.length > 0);
      await mapWithConcurrency(settled, 8, (delivery) => settleDelivery(delivery.eventId));
      const sent = await sendToChannels(owed);
      const publishedAt = new Date().toISOString();
      await mapWithConcurrency(owed, 8, (delivery) => recordRepublished(delivery, publishedAt));
      result.settled += settled.length;
      result.republished += owed.length;
      result.channels.email += sent.email;
      result.channels.priceList += sent.priceList;
    }
  });
  if (result.republished > 0) {
    logger.warn('owed deliveries published again', { ...result });
    metrics.addMetric('DeliveriesRepublished', 'Count', result.republished);
  }
  return result;
}

/** What is owed: the total, and the `limit` deliveries published longest ago. */
export async function owedDeliveries(limit: number): Promise<{ count: number; deliveries: Delivery[] }> {
  const [counts, firsts] = await Promise.all([
    mapWithConcurrency(shards(), 8, countOwedDeliveries),
    mapWithConcurrency(shards(), 8, (shard) => listOwedDeliveries(shard, limit)),
  ]);
  const deliveries = firsts
    .flat()
    .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.eventId.localeCompare(b.eventId))
    .slice(0, limit);
  return { count: counts.reduce((total, count) => total + count, 0), deliveries };
}
