import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import type { MinorUnits } from '../../domain/money.js';
import { queryPages } from './query.js';

/**
 * Sums the counted orders of one order shard dated within [from, to], per client, reading the shard's
 * date-ordered index in 1 MB pages: the cost is the in-window data, never the older history.
 */
export async function sumShardWindowByClient(shard: string, from: BusinessDate, to: BusinessDate, countedStatuses: ReadonlySet<string>): Promise<Map<string, MinorUnits>> {
  const pages = queryPages({
    TableName: tableName('orders'),
    IndexName: 'byShardDate',
    KeyConditionExpression: '#shard = :shard AND dateKey BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#shard': 'shard', '#status': 'status' },
    ExpressionAttributeValues: { ':shard': shard, ':from': from, ':to': `${to}#\uffff` },
    ProjectionExpression: 'clientId, amountMinor, #status',
  });
  const sums = new Map<string, MinorUnits>();
  for await (const orders of pages) {
    for (const order of orders) {
      if (countedStatuses.has(order.status)) sums.set(order.clientId, (sums.get(order.clientId) ?? 0n) + BigInt(order.amountMinor));
    }
  }
  return sums;
}
