import { describe, expect, it } from 'vitest';
import { applyDiscount, discountAmount, formatMinor, parseAmount, type AmountProblem } from '../../../lib/domain/money.js';

describe('parseAmount', () => {
  it.each<[string | number, bigint]>([
    ['125000.50', 12_500_050n],
    [125000.5, 12_500_050n],
    ['125000.5', 12_500_050n],
    ['125000', 12_500_000n],
    [0, 0n],
    ['0', 0n],
    ['0.00', 0n],
    [-0, 0n],
    ['0.01', 1n],
    [0.01, 1n],
    ['12.25', 1225n],
    [12.25, 1225n],
    ['999999999999999.99', 99_999_999_999_999_999n],
    ['999999999999999', 99_999_999_999_999_900n],
    [999999999999999, 99_999_999_999_999_900n],
    [1e14, 10_000_000_000_000_000n],
    ['  42.10 ', 4210n],
  ])('reads %j as %s minor units', (input, minor) => {
    expect(parseAmount(input)).toEqual({ ok: true, minor });
  });

  it.each<[string | number, AmountProblem]>([
    ['-1', 'negative'],
    [-1, 'negative'],
    ['-0.01', 'negative'],
    [-0.01, 'negative'],
    [-1e-21, 'negative'],
    ['NaN', 'not_a_number'],
    [Number.NaN, 'not_a_number'],
    ['Infinity', 'not_a_number'],
    [Number.POSITIVE_INFINITY, 'not_a_number'],
    ['', 'not_a_number'],
    ['1.005', 'too_many_decimals'],
    [1.005, 'too_many_decimals'],
    ['0.001', 'too_many_decimals'],
    [0.1 + 0.2, 'too_many_decimals'],
    ['1234567890123456', 'too_many_digits'],
    ['1000000000000000.00', 'too_many_digits'],
    [1e15, 'too_many_digits'],
    [1e21, 'too_many_digits'],
    [1.5e300, 'too_many_digits'],
    [1e-7, 'too_many_decimals'],
    [1e-21, 'too_many_decimals'],
    [5e-324, 'too_many_decimals'],
    ['1e3', 'malformed'],
    ['12,50', 'malformed'],
    ['+5', 'malformed'],
    ['.5', 'malformed'],
    ['5.', 'malformed'],
    ['007', 'malformed'],
    ['-', 'malformed'],
    ['abc', 'malformed'],
  ])('rejects %j as %s', (input, problem) => {
    expect(parseAmount(input)).toEqual({ ok: false, problem });
  });

  it('accepts 15 integer digits and refuses 16, as strings and as numbers', () => {
    expect(parseAmount('1'.repeat(15))).toMatchObject({ ok: true });
    expect(parseAmount('1'.repeat(16))).toEqual({ ok: false, problem: 'too_many_digits' });
    expect(parseAmount(Number('9'.repeat(15)))).toMatchObject({ ok: true });
    expect(parseAmount(Number('1' + '0'.repeat(15)))).toEqual({ ok: false, problem: 'too_many_digits' });
  });
});

describe('formatMinor', () => {
  it.each<[bigint, string]>([
    [0n, '0.00'],
    [1n, '0.01'],
    [10n, '0.10'],
    [99n, '0.99'],
    [100n, '1.00'],
    [1201n, '12.01'],
    [17_500_000n, '175000.00'],
    [12_500_050n, '125000.50'],
    [99_999_999_999_999_999n, '999999999999999.99'],
    [-1n, '-0.01'],
    [-32_500_000n, '-325000.00'],
  ])('formats %s minor units as "%s"', (minor, text) => {
    expect(formatMinor(minor)).toBe(text);
  });

  it('round-trips every parsed amount', () => {
    for (const text of ['0.00', '0.07', '12.25', '50000.00', '999999999999999.99']) {
      const parsed = parseAmount(text);
      expect(parsed.ok && formatMinor(parsed.minor)).toBe(text);
    }
  });
});

describe('applyDiscount', () => {
  it.each<[bigint, number, bigint]>([
    [1225n, 2, 1201n], // §2.8: 1200.5 rounds half-up to 1201
    [1225n, 0, 1225n],
    [1225n, 100, 0n],
    [31_000n, 4, 29_760n],
    [1n, 50, 1n], // 0.5 rounds up
    [1n, 51, 0n], // 0.49 rounds down
    [3n, 50, 2n], // 1.5 rounds up
    [5n, 10, 5n], // 4.5 rounds up
    [15n, 10, 14n], // 13.5 rounds up
    [11n, 10, 10n], // 9.9 rounds up
    [19n, 6, 18n], // 17.86 rounds up
    [100n, 2.5, 98n], // 97.5 rounds up; fractional percentages stay exact
    [333n, 33.33, 222n], // 222.0111 rounds down
    [0n, 8, 0n],
    [99_999_999_999_999_999n, 8, 91_999_999_999_999_999n], // 91999999999999999.08: exact at the largest amount
  ])('%s minor units at %s%% is %s', (price, percent, discounted) => {
    expect(applyDiscount(price, percent)).toBe(discounted);
  });
});

describe('discountAmount', () => {
  it.each<[bigint, number, bigint]>([
    [17_500_000n, 4, 700_000n], // 175 000,00 ₽ at 4% costs 7 000,00 ₽
    [1225n, 2, 25n], // 24.5 kopecks rounds half-up to 25 (applyDiscount leaves 1201, the other side of the same half)
    [1224n, 2, 24n], // 24.48 rounds down
    [1275n, 2, 26n], // 25.5 rounds up
    [10_000n, 0, 0n],
    [0n, 8, 0n],
    [333n, 2.5, 8n], // 8.325 rounds down
    [9_999_999_999_999_999n, 100, 9_999_999_999_999_999n],
  ])('%s minor units at %s%% is %s', (amount, percent, expected) => {
    expect(discountAmount(amount, percent)).toBe(expected);
  });
});
