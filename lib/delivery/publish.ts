import { queueUrl } from '../config.js';
import { recordOwedDeliveries, type DeliveryChannel, type NewDelivery } from '../adapters/dynamodb/deliveries.js';
import { sendAll } from '../adapters/sqs/client.js';
import { tierChangeMessageBody } from '../adapters/sqs/tier-change-message.js';
import type { TierChange } from '../domain/group-evaluation.js';
import type { QueueKey } from '../infra/resources.js';

/** The queue each channel's consumer reads. */
export const CHANNEL_QUEUES: Record<DeliveryChannel, QueueKey> = { email: 'tierEmails', priceList: 'priceListUpdates' };

/** A tier change is owed to both fan-out consumers: the email and the price list (§2.6–2.8). */
const TIER_CHANGE_CHANNELS: DeliveryChannel[] = ['email', 'priceList'];

/** Sends each delivery's body to the queue of every channel given for it (all its owed channels by default). */
export async function sendToChannels(deliveries: readonly Pick<NewDelivery, 'body' | 'owed'>[]): Promise<Record<DeliveryChannel, number>> {
  const sent: Record<DeliveryChannel, number> = { email: 0, priceList: 0 };
  await Promise.all(
    (Object.keys(CHANNEL_QUEUES) as DeliveryChannel[]).map(async (channel) => {
      const bodies = deliveries.filter((delivery) => delivery.owed.includes(channel)).map((delivery) => delivery.body);
      if (bodies.length === 0) return;
      await sendAll(queueUrl(CHANNEL_QUEUES[channel]), bodies);
      sent[channel] = bodies.length;
    }),
  );
  return sent;
}

/**
 * Publishes tier changes to the email and price-list queues, recording each in the delivery ledger first:
 * a change lost after publishing (a purged queue, a local restart) stays owed until both consumers have
 * recorded it, and a sweep publishes it again. Publishing the same change twice is harmless.
 */
export async function publishTierChanges(changes: readonly TierChange[]): Promise<void> {
  if (changes.length === 0) return;
  const deliveries = changes.map((change) => ({
    eventId: change.eventId,
    kind: 'tier-change',
    groupId: change.groupId,
    body: tierChangeMessageBody(change),
    owed: TIER_CHANGE_CHANNELS,
  }));
  await recordOwedDeliveries(deliveries, new Date().toISOString());
  await sendToChannels(deliveries);
}
