import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import type { GroupSums } from '../../domain/group-evaluation.js';
import type { MinorUnits } from '../../domain/money.js';
import { brandLinesOf, qualifyingAmount, type BrandLines } from '../../domain/qualifying.js';
import { queryPages } from './query.js';

/**
 * The order attribute the window index carries for focus brands: line amounts by lowercased brand, as
 * compact JSON (`{"grohe":"1200000,50000"}`, minor units); undefined for an order without lines.
 */
export function brandLinesAttribute(lines: readonly { brand: string; amount: MinorUnits }[] | undefined): string | undefined {
  if (!lines || lines.length === 0) return undefined;
  return JSON.stringify(Object.fromEntries([...brandLinesOf(lines)].map(([brand, amounts]) => [brand, amounts.join(',')])));
}

function parseBrandLines(attribute: string | undefined): BrandLines | undefined {
  if (!attribute) return undefined;
  const byBrand = JSON.parse(attribute) as Record<string, string>;
  return new Map(Object.entries(byBrand).map(([brand, amounts]) => [brand, amounts.split(',').map(BigInt)]));
}

/**
 * Sums the counted orders of one order shard dated within [from, to], per client: real amounts, and
 * qualifying amounts by the focus-brand multipliers (lowercased brand → hundredths). It reads the shard's
 * date-ordered index in 1 MB pages (the cost is the in-window data, never the older history), and the
 * lines only when some brand is weighted.
 */
export async function sumShardWindowByClient(
  shard: string,
  from: BusinessDate,
  to: BusinessDate,
  countedStatuses: ReadonlySet<string>,
  multipliers: ReadonlyMap<string, bigint>,
): Promise<Map<string, GroupSums>> {
  const weighted = multipliers.size > 0;
  const pages = queryPages({
    TableName: tableName('orders'),
    IndexName: 'byShardDate',
    KeyConditionExpression: '#shard = :shard AND dateKey BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#shard': 'shard', '#status': 'status' },
    ExpressionAttributeValues: { ':shard': shard, ':from': from, ':to': `${to}#\uffff` },
    ProjectionExpression: `clientId, amountMinor, #status${weighted ? ', brandLines' : ''}`,
  });
  const sums = new Map<string, GroupSums>();
  for await (const orders of pages) {
    for (const order of orders) {
      if (!countedStatuses.has(order.status)) continue;
      const amount = BigInt(order.amountMinor);
      const qualifying = weighted ? qualifyingAmount(amount, parseBrandLines(order.brandLines), multipliers) : amount;
      const client = sums.get(order.clientId);
      if (client) {
        client.sum += amount;
        client.qualifyingSum += qualifying;
      } else {
        sums.set(order.clientId, { sum: amount, qualifyingSum: qualifying });
      }
    }
  }
  return sums;
}
