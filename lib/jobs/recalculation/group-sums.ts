import type { OrderFact } from '../../adapters/dynamodb/order-window.js';
import { addDaySum, mergeDaySums, type DaySums } from '../../domain/day-sums.js';
import type { WindowSums } from '../../domain/group-evaluation.js';
import { qualifyingAmount } from '../../domain/qualifying.js';
import type { Aggregation } from '../engine/job-kind.js';
import type { RecalculationContext } from './context.js';

/**
 * The recalculation's map aggregate: a group's 90-day sums, real and qualifying (§4.3), and its qualifying
 * amounts by day of the window, from which the reduce projects when orders leave it (§4.4) without reading
 * any order again. Counted orders of the window add their amount, and their qualifying amount by the run's
 * focus-brand multipliers.
 */
export function addOrderToGroupSums(sums: WindowSums, order: OrderFact, context: RecalculationContext): void {
  if (!context.countedStatuses.has(order.status)) return;
  const qualifying = context.multipliers.size > 0 ? qualifyingAmount(order.amount, order.brandLines, context.multipliers) : order.amount;
  sums.sum += order.amount;
  sums.qualifyingSum += qualifying;
  addDaySum(sums.days, context.dayOffsets.get(order.date)!, qualifying);
}

/** Day sums as compact text: `offset:amount` pairs joined by commas (`"0:1500000,89:42"`). */
function formatDays(days: DaySums): string {
  return days.map(([offset, amount]) => `${offset}:${amount}`).join(',');
}

function parseDays(text: string): DaySums {
  if (text === '') return [];
  return text.split(',').map((pair) => {
    const colon = pair.indexOf(':');
    return [Number(pair.slice(0, colon)), BigInt(pair.slice(colon + 1))];
  });
}

/**
 * How the recalculation carries group sums from map to reduce: `["sum","days"]`, or
 * `["sum","days","qualifying"]` where focus brands made the sums differ.
 */
export const groupSumsAggregation: Aggregation<RecalculationContext, WindowSums> = {
  empty: () => ({ sum: 0n, qualifyingSum: 0n, days: [] }),
  addOrder: addOrderToGroupSums,
  merge: (into, other) => {
    into.sum += other.sum;
    into.qualifyingSum += other.qualifyingSum;
    into.days = mergeDaySums(into.days, other.days);
  },
  encode: ({ sum, qualifyingSum, days }) => (qualifyingSum === sum ? [sum.toString(), formatDays(days)] : [sum.toString(), formatDays(days), qualifyingSum.toString()]),
  decode: (encoded) => {
    const [sum, days, qualifyingSum = sum] = encoded as [string, string, string?];
    return { sum: BigInt(sum), qualifyingSum: BigInt(qualifyingSum), days: parseDays(days) };
  },
};
