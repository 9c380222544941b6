import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import type { MinorUnits } from '../../domain/money.js';
import { brandLinesOf, type BrandLines } from '../../domain/qualifying.js';
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

/** What a job reads of one order: enough to count it, date it, and weigh its focus-brand lines. */
export interface OrderFact {
  clientId: string;
  date: BusinessDate;
  amount: MinorUnits;
  status: string;
  /** Line amounts by lowercased brand; only when asked for, and undefined for an order without lines. */
  brandLines?: BrandLines;
}

/**
 * The orders of one order shard dated within [from, to], page by page: read from the shard's date-ordered
 * index in 1 MB pages (the cost is the window's data, never the older history), with the lines only when
 * `withLines` (some brand is weighted).
 */
export async function* readShardWindow(shard: string, from: BusinessDate, to: BusinessDate, withLines: boolean): AsyncGenerator<OrderFact[]> {
  const pages = queryPages({
    TableName: tableName('orders'),
    IndexName: 'byShardDate',
    KeyConditionExpression: '#shard = :shard AND dateKey BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#shard': 'shard', '#status': 'status' },
    ExpressionAttributeValues: { ':shard': shard, ':from': from, ':to': `${to}#\uffff` },
    ProjectionExpression: `clientId, dateKey, amountMinor, #status${withLines ? ', brandLines' : ''}`,
  });
  for await (const items of pages) {
    yield items.map((item) => ({
      clientId: item.clientId as string,
      date: (item.dateKey as string).slice(0, 10),
      amount: BigInt(item.amountMinor),
      status: item.status as string,
      ...(withLines ? { brandLines: parseBrandLines(item.brandLines) } : {}),
    }));
  }
}
