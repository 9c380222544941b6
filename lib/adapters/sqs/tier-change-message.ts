import { z } from 'zod';
import type { TierChange } from '../../domain/group-evaluation.js';
import { MAX_SUM_DIGITS } from '../../domain/money.js';
import { ErpId } from '../../ingest/schemas.js';
import { tierChangeFromItem, tierChangeToItem } from '../dynamodb/group-state.js';

/** Money on the queues: minor units as a string of at most MAX_SUM_DIGITS digits (the most the store can hold, see there). */
export const MinorUnitsText = z
  .string()
  .regex(new RegExp(`^(?:0|[1-9]\\d{0,${MAX_SUM_DIGITS - 1}})$`), `must be minor units as a string of at most ${MAX_SUM_DIGITS} digits`);

/**
 * The wire form of a tier change on the fan-out queues: `tierChangeToItem` as JSON, the sum in minor units.
 * Every field is bounded by what the engine can produce: any sum up to MAX_SUM_DIGITS digits, a change
 * counter up to 2^53 − 1.
 */
const TierChangeMessageSchema = z.object({
  eventId: z.string().min(1).max(200),
  groupId: ErpId,
  asOf: z.iso.date(),
  from: z.string().min(1),
  to: z.string().min(1),
  direction: z.enum(['up', 'down']),
  sum: MinorUnitsText,
  // Absent in messages published before focus brands and reasons: the real sum decided, by thresholds.
  qualifyingSum: MinorUnitsText.optional(),
  reason: z.enum(['sum', 'floor', 'program']).optional(),
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** A queued message that can never be processed: it fails every delivery, so SQS moves it to the DLQ. */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
}

/** The queue body of a tier change, as the recalculation publishes it to both fan-out queues. */
export function tierChangeMessageBody(change: TierChange): string {
  return JSON.stringify(tierChangeToItem(change));
}

/** A queue body as JSON, or MalformedMessageError saying which queue's message is not JSON. */
export function parseMessageJson(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new MalformedMessageError(`${what} message is not JSON: ${(error as Error).message}`);
  }
}

/** Reads a fan-out queue body back into a tier change, or throws naming what is wrong with it. */
export function parseTierChangeMessage(body: string): TierChange {
  return tierChangeFromMessage(parseMessageJson(body, 'Tier change'));
}

/** A parsed fan-out message as a tier change, or MalformedMessageError naming each bad field. */
export function tierChangeFromMessage(raw: unknown): TierChange {
  const parsed = TierChangeMessageSchema.safeParse(raw);
  if (!parsed.success) throw new MalformedMessageError(`Invalid tier change message: ${z.prettifyError(parsed.error)}`);
  return tierChangeFromItem(parsed.data);
}
