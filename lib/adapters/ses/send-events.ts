import { z } from 'zod';

/**
 * SES's own record that it took an email: the configuration set publishes a Send event (SES → SNS → the
 * `email-send-events` queue, raw delivery) carrying the message tags the sender set. The email consumer
 * tags every email with its eventId, so a retry after a crash can ask whether SES already has the email.
 */

/** Name of the message tag that carries the eventId. */
export const EVENT_ID_TAG = 'eventId';

/** SES tag values allow only A–Z a–z 0–9 _ - . @; base64url keeps every eventId (group ids hold `:`, eventIds `/`) within them. */
export function eventIdTagValue(eventId: string): string {
  return Buffer.from(eventId, 'utf8').toString('base64url');
}

/** The eventId a tag value carries. */
export function eventIdFromTagValue(value: string): string {
  return Buffer.from(value, 'base64url').toString('utf8');
}

/** What a Send event tells: SES took the email of this eventId, with this message id, at this time. */
export interface SesSend {
  eventId: string;
  messageId: string;
  at: string;
}

const SendEvent = z.object({
  eventType: z.literal('Send'),
  mail: z.object({
    messageId: z.string().min(1),
    timestamp: z.string().min(1),
    tags: z.record(z.string(), z.array(z.string())),
  }),
});

/**
 * Reads a Send event as SES publishes it. Returns undefined for an email without an eventId tag (sent by
 * something else through the same configuration set); anything that is not a Send event throws, so the
 * message ends in the dead-letter queue where someone sees it.
 */
export function parseSesSendEvent(body: string): SesSend | undefined {
  const event = SendEvent.parse(JSON.parse(body));
  const tag = event.mail.tags[EVENT_ID_TAG]?.[0];
  if (!tag) return undefined;
  return { eventId: eventIdFromTagValue(tag), messageId: event.mail.messageId, at: event.mail.timestamp };
}

/**
 * True when SES answered a send with an error (throttling, a rejected message): it did not take the email.
 * A timeout or a dropped connection has no answer, and the email may have been taken.
 */
export function sesRefusedTheSend(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400;
}
