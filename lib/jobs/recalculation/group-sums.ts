import type { OrderFact } from '../../adapters/dynamodb/order-window.js';
import type { GroupSums } from '../../domain/group-evaluation.js';
import { qualifyingAmount } from '../../domain/qualifying.js';
import type { Aggregation } from '../engine/job-kind.js';
import type { RecalculationContext } from './context.js';

/**
 * The recalculation's map aggregate: a group's 90-day sums, real and qualifying (§4.3). Counted orders of
 * the window add their amount, and their qualifying amount by the run's focus-brand multipliers.
 */
export function addOrderToGroupSums(sums: GroupSums, order: OrderFact, context: RecalculationContext): void {
  if (!context.countedStatuses.has(order.status)) return;
  sums.sum += order.amount;
  sums.qualifyingSum += context.multipliers.size > 0 ? qualifyingAmount(order.amount, order.brandLines, context.multipliers) : order.amount;
}

/** How the recalculation carries group sums from map to reduce: `"sum"`, or `["sum","qualifying"]` where focus brands made them differ. */
export const groupSumsAggregation: Aggregation<RecalculationContext, GroupSums> = {
  empty: () => ({ sum: 0n, qualifyingSum: 0n }),
  addOrder: addOrderToGroupSums,
  merge: (into, other) => {
    into.sum += other.sum;
    into.qualifyingSum += other.qualifyingSum;
  },
  encode: ({ sum, qualifyingSum }) => (qualifyingSum === sum ? sum.toString() : [sum.toString(), qualifyingSum.toString()]),
  decode: (encoded) => {
    if (typeof encoded === 'string') return { sum: BigInt(encoded), qualifyingSum: BigInt(encoded) };
    const [sum, qualifyingSum] = encoded as [string, string];
    return { sum: BigInt(sum), qualifyingSum: BigInt(qualifyingSum) };
  },
};
