import { tableName } from '../../config.js';
import type { MinorUnits } from '../../domain/money.js';
import { batchGetAll } from './batch.js';

/** Base wholesale prices in minor units of the given SKUs; SKUs without a price are absent from the map. */
export async function getBasePrices(skus: readonly string[]): Promise<Map<string, MinorUnits>> {
  const items = await batchGetAll(
    tableName('prices'),
    skus.map((sku) => ({ sku })),
    { expression: '#s, #p', names: { '#s': 'sku', '#p': 'priceMinor' } },
  );
  return new Map(items.map((item) => [item.sku as string, BigInt(item.priceMinor as string)]));
}
