/** Money is held as integer minor units (kopecks) in a bigint: exact at any size the spec allows. */
export type MinorUnits = bigint;

const DECIMAL = /^(0|[1-9]\d{0,14})(?:\.(\d{1,2}))?$/;

/**
 * Digits of the largest sum of minor units the engine carries (in messages, state and answers): 38, so
 * sums up to 10^38 − 1. A 90-day sum adds at most 10^17 − 1 (15 integer digits, 2 decimals) per order; to
 * reach 10^38 a group would need 10^21 orders of the largest amount in one window — 10^23 bytes of
 * stored orders at well over 100 bytes each, more than the store can hold. So no sum the store can hold
 * exceeds it, and 38 digits is also what a DynamoDB number holds, should a sum ever be stored as one.
 */
export const MAX_SUM_DIGITS = 38;

export type AmountProblem = 'negative' | 'not_a_number' | 'too_many_decimals' | 'too_many_digits' | 'malformed';

/**
 * Parses an amount in currency units (decimal string or JSON number, ≤ 2 decimals, ≤ 15 integer digits)
 * into minor units, or says why it cannot: money never passes through a float sum.
 */
export function parseAmount(input: string | number): { ok: true; minor: MinorUnits } | { ok: false; problem: AmountProblem } {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, problem: 'not_a_number' };
    text = numberToPlainString(input);
  } else {
    text = input.trim();
  }
  if (text.startsWith('-')) return /^-\d/.test(text) ? { ok: false, problem: 'negative' } : { ok: false, problem: 'malformed' };
  const match = DECIMAL.exec(text);
  if (!match) {
    const plain = /^(\d+)(?:\.(\d+))?$/.exec(text);
    if (!plain) return { ok: false, problem: text === '' || /nan|inf/i.test(text) ? 'not_a_number' : 'malformed' };
    if ((plain[2] ?? '').length > 2) return { ok: false, problem: 'too_many_decimals' };
    return { ok: false, problem: plain[1]!.length > 15 ? 'too_many_digits' : 'malformed' };
  }
  const units = BigInt(match[1]!);
  const cents = BigInt((match[2] ?? '').padEnd(2, '0'));
  return { ok: true, minor: units * 100n + cents };
}

/** Formats minor units as the API's decimal string with exactly two decimals ("175000.00"). */
export function formatMinor(minor: MinorUnits): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const units = abs / 100n;
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units}.${cents}`;
}

/** Applies a percentage discount to a price in minor units, rounding half-up to the minor unit (§2.8). */
export function applyDiscount(priceMinor: MinorUnits, discountPercent: number): MinorUnits {
  // discountPercent may carry up to 2 decimals: work in hundredths of a percent to stay integral.
  const basisPoints = BigInt(Math.round(discountPercent * 100));
  const numerator = priceMinor * (10_000n - basisPoints);
  return (numerator * 2n + 10_000n) / 20_000n;
}

/** What a discount of `discountPercent` takes off an amount, rounded half-up to the minor unit (§4.5 discount cost). */
export function discountAmount(amountMinor: MinorUnits, discountPercent: number): MinorUnits {
  const basisPoints = BigInt(Math.round(discountPercent * 100));
  return (amountMinor * basisPoints * 2n + 10_000n) / 20_000n;
}

/**
 * JSON numbers such as 1e21 or 1e-7 print in exponent form; amounts need positional digits to be checked.
 * The digits are shifted exactly (Intl rounds to at most 20 decimals, which turned 1e-21 into "0").
 */
function numberToPlainString(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!match) return text;
  const [sign, whole, fraction] = [match[1]!, match[2]!, match[3] ?? ''];
  const digits = whole + fraction;
  const point = whole.length + Number(match[4]);
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
