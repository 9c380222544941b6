import { describe, expect, it } from 'vitest';
import { addDaySum, mergeDaySums, type DaySums } from '../../../lib/domain/day-sums.js';

describe('addDaySum', () => {
  it('appends days read in date order and adds up a day read twice', () => {
    const days: DaySums = [];
    for (const [offset, amount] of [[0, 5n], [0, 7n], [3, 1n], [89, 2n]] as const) addDaySum(days, offset, amount);
    expect(days).toEqual([[0, 12n], [3, 1n], [89, 2n]]);
  });

  it('keeps ascending order for a day that comes late, and skips zero amounts', () => {
    const days: DaySums = [[2, 1n], [9, 1n]];
    addDaySum(days, 5, 4n);
    addDaySum(days, 2, 3n);
    addDaySum(days, 0, 1n);
    addDaySum(days, 7, 0n);
    expect(days).toEqual([[0, 1n], [2, 4n], [5, 4n], [9, 1n]]);
  });
});

describe('mergeDaySums', () => {
  it('adds two groups of days day by day, in ascending order, leaving both inputs as they were', () => {
    const a: DaySums = [[0, 1n], [4, 2n], [10, 3n]];
    const b: DaySums = [[4, 5n], [6, 1n], [89, 9n]];
    expect(mergeDaySums(a, b)).toEqual([[0, 1n], [4, 7n], [6, 1n], [10, 3n], [89, 9n]]);
    expect(mergeDaySums([], b)).toEqual(b);
    expect(a).toEqual([[0, 1n], [4, 2n], [10, 3n]]);
    expect(b).toEqual([[4, 5n], [6, 1n], [89, 9n]]);
  });
});
