import { describe, expect, it } from 'vitest';
import { brandLinesOf, qualifyingAmount } from '../../../lib/domain/qualifying.js';

const multipliers = new Map([
  ['grohe', 150n],
  ['jacob delafon', 200n],
  ['cheap', 50n],
  ['ignored', 0n],
]);

describe('qualifyingAmount', () => {
  it.each<[string, bigint, { brand: string; amount: bigint }[] | undefined, bigint]>([
    ['an order without lines qualifies with its amount', 100_000n, undefined, 100_000n],
    ['lines of unlisted brands add nothing', 100_000n, [{ brand: 'Rehau', amount: 60_000n }], 100_000n],
    ['a ×1.5 line adds half of itself', 100_000n, [{ brand: 'GROHE', amount: 60_000n }], 130_000n],
    ['brands compare case-insensitively', 100_000n, [{ brand: 'Jacob Delafon', amount: 10_000n }, { brand: 'JACOB DELAFON', amount: 5_000n }], 115_000n],
    ['half a kopeck rounds up, per line', 0n, [{ brand: 'grohe', amount: 1n }, { brand: 'grohe', amount: 1n }], 2n],
    ['a line of 3 kopecks at ×1.5 counts 5 (4.5 half-up)', 3n, [{ brand: 'grohe', amount: 3n }], 5n],
    ['a ×0.5 line subtracts half of itself, half-up (1 kopeck counts 1)', 10n, [{ brand: 'cheap', amount: 1n }, { brand: 'cheap', amount: 3n }], 9n],
    ['a ×0 line subtracts itself', 100n, [{ brand: 'ignored', amount: 60n }], 40n],
    ['never below 0, even when the lines add up to more than the amount', 10n, [{ brand: 'ignored', amount: 60n }], 0n],
    ['amounts far past a float keep every kopeck', 99_999_999_999_999_999n, [{ brand: 'grohe', amount: 99_999_999_999_999_999n }], 149_999_999_999_999_999n],
  ])('%s', (_, amount, lines, expected) => {
    expect(qualifyingAmount(amount, lines && brandLinesOf(lines), multipliers)).toBe(expected);
  });

  it('qualifies with the amount when no brand is weighted', () => {
    expect(qualifyingAmount(100n, brandLinesOf([{ brand: 'grohe', amount: 60n }]), new Map())).toBe(100n);
  });
});
