import type { MinorUnits } from './money.js';

/**
 * A group's qualifying amounts by day of the window, as `[offset, amount]` pairs with offsets counted from
 * the window's first day (0 leaves the window first), ascending and distinct, amounts above 0. What the
 * outlook needs to know how the sum falls as days leave the window.
 */
export type DaySums = [offset: number, amount: MinorUnits][];

/** Adds an amount on a day; in constant time when days come in ascending order (a date-ordered read). */
export function addDaySum(days: DaySums, offset: number, amount: MinorUnits): void {
  if (amount === 0n) return;
  const last = days[days.length - 1];
  if (!last || last[0] < offset) {
    days.push([offset, amount]);
    return;
  }
  if (last[0] === offset) {
    last[1] += amount;
    return;
  }
  const at = days.findIndex(([day]) => day >= offset);
  if (days[at]![0] === offset) days[at]![1] += amount;
  else days.splice(at, 0, [offset, amount]);
}

/** The day sums of two parts of a group (two clients, two map shards), added day by day. */
export function mergeDaySums(a: DaySums, b: DaySums): DaySums {
  const merged: DaySums = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const left = a[i];
    const right = b[j];
    if (left && (!right || left[0] < right[0])) {
      merged.push([left[0], left[1]]);
      i++;
    } else if (right && (!left || right[0] < left[0])) {
      merged.push([right[0], right[1]]);
      j++;
    } else {
      merged.push([left![0], left![1] + right![1]]);
      i++;
      j++;
    }
  }
  return merged;
}
