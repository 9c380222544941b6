import type { MinorUnits } from './money.js';

/** How many groups stand in one tier and what they bought in the window. */
export interface TierTally {
  groups: number;
  sum: MinorUnits;
}

/** Groups and their 90-day sums per tier id, as a run leaves them. */
export type TierDistribution = Record<string, TierTally>;

/** Counts one group into the tier it stands in. */
export function tallyGroup(distribution: TierDistribution, tierId: string, sum: MinorUnits): void {
  const tally = (distribution[tierId] ??= { groups: 0, sum: 0n });
  tally.groups++;
  tally.sum += sum;
}

/** The distribution of the groups of several shards together. */
export function mergeDistributions(parts: readonly TierDistribution[]): TierDistribution {
  const merged: TierDistribution = {};
  for (const part of parts) {
    for (const [tierId, { groups, sum }] of Object.entries(part)) {
      const tally = (merged[tierId] ??= { groups: 0, sum: 0n });
      tally.groups += groups;
      tally.sum += sum;
    }
  }
  return merged;
}

/** Every tier of the program in program order (empty ones as zero), then any tier the program no longer has. */
export function orderedDistribution(distribution: TierDistribution, tierIds: readonly string[]): { tierId: string; tally: TierTally }[] {
  const known = tierIds.map((tierId) => ({ tierId, tally: distribution[tierId] ?? { groups: 0, sum: 0n } }));
  const dropped = Object.keys(distribution)
    .filter((tierId) => !tierIds.includes(tierId))
    .sort()
    .map((tierId) => ({ tierId, tally: distribution[tierId]! }));
  return [...known, ...dropped];
}
