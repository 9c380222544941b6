import { discountAmount, type MinorUnits } from './money.js';

/** How many groups a tier holds, what they bought in the window and what their discount costs on it. */
export interface TierShare {
  groups: number;
  sum: MinorUnits;
  discountCost: MinorUnits;
}

/** Groups, 90-day sums and discount costs per tier id, as a run leaves them (the console's first chart). */
export type TierDistribution = Map<string, TierShare>;

/** Counts one group in its tier: its sum, and its discount on that sum rounded half-up per group (§4.5). */
export function countGroup(distribution: TierDistribution, tierId: string, sum: MinorUnits, discountPercent: number): void {
  const share = distribution.get(tierId) ?? { groups: 0, sum: 0n, discountCost: 0n };
  share.groups += 1;
  share.sum += sum;
  share.discountCost += discountAmount(sum, discountPercent);
  distribution.set(tierId, share);
}

/** Adds the shares of several distributions (the reduce shards of one run) tier by tier. */
export function mergeDistributions(parts: Iterable<TierDistribution>): TierDistribution {
  const merged: TierDistribution = new Map();
  for (const part of parts) {
    for (const [tierId, share] of part) {
      const total = merged.get(tierId) ?? { groups: 0, sum: 0n, discountCost: 0n };
      merged.set(tierId, { groups: total.groups + share.groups, sum: total.sum + share.sum, discountCost: total.discountCost + share.discountCost });
    }
  }
  return merged;
}

/** The distribution as stored and sent: money as minor-units strings (JSON has no bigint). */
export function distributionToRecord(distribution: TierDistribution): Record<string, { groups: number; sum: string; discountCost: string }> {
  return Object.fromEntries([...distribution].map(([tierId, share]) => [tierId, { groups: share.groups, sum: share.sum.toString(), discountCost: share.discountCost.toString() }]));
}

/** Reads a stored distribution back. */
export function distributionFromRecord(record: Record<string, { groups: number; sum: string; discountCost: string }>): TierDistribution {
  return new Map(Object.entries(record).map(([tierId, share]) => [tierId, { groups: Number(share.groups), sum: BigInt(share.sum), discountCost: BigInt(share.discountCost) }]));
}

/** Group counts per tier id, for a log line. */
export function groupsPerTier(distribution: TierDistribution): Record<string, number> {
  return Object.fromEntries([...distribution].map(([tierId, share]) => [tierId, share.groups]));
}
