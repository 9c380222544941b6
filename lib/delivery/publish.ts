import { queueUrl } from '../config.js';
import { recordOwedDeliveries, type DeliveryChannel, type NewDelivery } from '../adapters/dynamodb/deliveries.js';
import { sendAll } from '../adapters/sqs/client.js';
import { noticeMessageBody } from '../adapters/sqs/notice-message.js';
import { tierChangeMessageBody } from '../adapters/sqs/tier-change-message.js';
import type { TierChange } from '../domain/group-evaluation.js';
import type { Notice } from '../domain/notices.js';
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

/** A notice (at risk, near the next tier) is owed to the email consumer only (§4.4). */
const NOTICE_CHANNELS: DeliveryChannel[] = ['email'];

/**
 * Publishes tier changes to the email and price-list queues and notices to the email queue, recording each
 * in the delivery ledger first: one lost after publishing (a purged queue, a local restart) stays owed until
 * every consumer it is owed to has recorded it, and a sweep publishes it again. Publishing twice is harmless.
 */
export async function publishDeliveries(changes: readonly TierChange[], notices: readonly Notice[]): Promise<void> {
  if (changes.length === 0 && notices.length === 0) return;
  const deliveries: NewDelivery[] = [
    ...changes.map((change) => ({ eventId: change.eventId, kind: 'tier-change', groupId: change.groupId, body: tierChangeMessageBody(change), owed: TIER_CHANGE_CHANNELS })),
    ...notices.map((notice) => ({ eventId: notice.eventId, kind: notice.kind, groupId: notice.groupId, body: noticeMessageBody(notice), owed: NOTICE_CHANNELS })),
  ];
  await recordOwedDeliveries(deliveries, new Date().toISOString());
  await sendToChannels(deliveries);
}
