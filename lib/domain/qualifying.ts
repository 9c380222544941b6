import type { MinorUnits } from './money.js';

/** An order's line amounts by lowercased brand: what the qualifying amount needs of its lines (§4.3). */
export type BrandLines = ReadonlyMap<string, readonly MinorUnits[]>;

/** Groups order lines' amounts by brand, lowercased: brands compare case-insensitively. */
export function brandLinesOf(lines: readonly { brand: string; amount: MinorUnits }[]): BrandLines {
  const byBrand = new Map<string, MinorUnits[]>();
  for (const line of lines) {
    const brand = line.brand.toLowerCase();
    const amounts = byBrand.get(brand);
    if (amounts) amounts.push(line.amount);
    else byBrand.set(brand, [line.amount]);
  }
  return byBrand;
}

/**
 * An order's qualifying amount (§4.3): its amount plus, for each line of a listed brand,
 * `line × (multiplier − 1)`. Each such line counts as `line × multiplier` rounded half-up to the kopeck
 * (multipliers are integer hundredths, so this is exact), and the result is never below 0.
 */
export function qualifyingAmount(amount: MinorUnits, lines: BrandLines | undefined, multipliers: ReadonlyMap<string, bigint>): MinorUnits {
  if (!lines || multipliers.size === 0) return amount;
  let qualifying = amount;
  for (const [brand, amounts] of lines) {
    const hundredths = multipliers.get(brand);
    if (hundredths === undefined || hundredths === 100n) continue;
    for (const line of amounts) qualifying += (line * hundredths + 50n) / 100n - line;
  }
  return qualifying > 0n ? qualifying : 0n;
}
