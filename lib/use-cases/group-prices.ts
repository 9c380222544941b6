import { getBasePrices } from '../adapters/dynamodb/prices.js';
import type { GroupPrices } from '../api-schemas.js';
import { applyDiscount, formatMinor } from '../domain/money.js';
import { getGroupStatus } from './group-status.js';


/**
 * A group's prices for some SKUs: each base price with the group's current tier discount (the tier its
 * status shows), in integer kopecks rounded half-up. SKUs without a base price are listed as missing; each
 * SKU is answered once, in the order asked. Undefined for an unknown group.
 */
export async function getGroupPrices(groupId: string, skus: readonly string[]): Promise<GroupPrices | undefined> {
  const unique = [...new Set(skus)];
  const [status, basePrices] = await Promise.all([getGroupStatus(groupId), getBasePrices(unique)]);
  if (!status) return undefined;
  const { id: tierId, discountPercent } = status.tier;
  const prices: GroupPrices['prices'] = [];
  const missing: string[] = [];
  for (const sku of unique) {
    const base = basePrices.get(sku);
    if (base === undefined) missing.push(sku);
    else prices.push({ sku, basePrice: formatMinor(base), price: formatMinor(applyDiscount(base, discountPercent)) });
  }
  return { groupId, tierId, discountPercent, prices, missing };
}
