import { describe, expect, it } from 'vitest';
import { MalformedMessageError, parseTierChangeMessage, tierChangeMessageBody } from '../../../lib/adapters/sqs/tier-change-message.js';
import type { TierChange } from '../../../lib/domain/group-evaluation.js';
import { MAX_SUM_DIGITS } from '../../../lib/domain/money.js';

const change = (sum: bigint, seq = 1): TierChange => ({ eventId: `G-1/2026-11-21/${seq}`, groupId: 'G-1', asOf: '2026-11-21', from: 'gold', to: 'platinum', direction: 'up', sum, qualifyingSum: sum, reason: 'sum', seq });

describe('tier change messages carry every sum the store can hold', () => {
  it.each([
    ['zero', 0n],
    ['the 21-digit sum of 1,100 orders of the largest amount', 1100n * (10n ** 17n - 1n)],
    [`the largest sum (${MAX_SUM_DIGITS} nines)`, 10n ** BigInt(MAX_SUM_DIGITS) - 1n],
  ])('round-trips %s exactly', (_, sum) => {
    expect(parseTierChangeMessage(tierChangeMessageBody(change(sum)))).toEqual(change(sum));
  });

  it('round-trips the largest change counter', () => {
    expect(parseTierChangeMessage(tierChangeMessageBody(change(1n, Number.MAX_SAFE_INTEGER))).seq).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    ['a sum one digit past the bound', JSON.stringify({ ...JSON.parse(tierChangeMessageBody(change(1n))), sum: '1'.repeat(MAX_SUM_DIGITS + 1) })],
    ['a negative sum', JSON.stringify({ ...JSON.parse(tierChangeMessageBody(change(1n))), sum: '-1' })],
    ['a sum with a leading zero', JSON.stringify({ ...JSON.parse(tierChangeMessageBody(change(1n))), sum: '01' })],
    ['a sum as a JSON number', JSON.stringify({ ...JSON.parse(tierChangeMessageBody(change(1n))), sum: 1 })],
  ])('refuses %s, naming sum', (_, body) => {
    expect(() => parseTierChangeMessage(body)).toThrow(MalformedMessageError);
    expect(() => parseTierChangeMessage(body)).toThrow(/sum/);
  });
});
