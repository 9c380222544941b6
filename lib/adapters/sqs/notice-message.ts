import { z } from 'zod';
import type { TierChange } from '../../domain/group-evaluation.js';
import { NOTICE_KINDS, type Notice } from '../../domain/notices.js';
import { ErpId } from '../../ingest/schemas.js';
import { noticeFromItem, noticeToItem } from '../dynamodb/group-state.js';
import { MalformedMessageError, MinorUnitsText, parseMessageJson, tierChangeFromMessage } from './tier-change-message.js';

const IsoDate = z.iso.date();

const NoticeFieldsSchema = z.object({
  eventId: z.string().min(1).max(200),
  groupId: ErpId,
  asOf: IsoDate,
  tierId: z.string().min(1),
  sum: MinorUnitsText,
  qualifyingSum: MinorUnitsText,
});

/** The wire form of a notice on the email queue: `noticeToItem` as JSON, money in minor units. */
const NoticeMessageSchema = z.discriminatedUnion('kind', [
  NoticeFieldsSchema.extend({
    kind: z.literal('at-risk'),
    outlook: z.object({ holdsUntil: IsoDate.optional(), toKeep: MinorUnitsText, belowRetainSince: IsoDate.optional(), downgradeOn: IsoDate, downgradeTo: z.string().min(1) }),
  }),
  NoticeFieldsSchema.extend({
    kind: z.literal('near-next-tier'),
    nextTier: z.object({ id: z.string().min(1), threshold: MinorUnitsText, remaining: MinorUnitsText }),
  }),
]);

/** The queue body of a notice, as the recalculation publishes it to the email queue. */
export function noticeMessageBody(notice: Notice): string {
  return JSON.stringify(noticeToItem(notice));
}

/** What the email queue carries: tier changes, and notices (told apart by their `kind`). */
export type EmailQueueMessage = { type: 'tier-change'; change: TierChange } | { type: 'notice'; notice: Notice };

/** Reads an email queue body back into a tier change or a notice, or throws naming what is wrong with it. */
export function parseEmailQueueMessage(body: string): EmailQueueMessage {
  const raw = parseMessageJson(body, 'Email queue');
  const kind = (raw as { kind?: unknown } | null)?.kind;
  if (!NOTICE_KINDS.includes(kind as never)) return { type: 'tier-change', change: tierChangeFromMessage(raw) };
  const parsed = NoticeMessageSchema.safeParse(raw);
  if (!parsed.success) throw new MalformedMessageError(`Invalid notice message: ${z.prettifyError(parsed.error)}`);
  return { type: 'notice', notice: noticeFromItem(parsed.data) };
}
