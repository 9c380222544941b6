import type { MinorUnits } from './money.js';

/** What the tier rules need of a tier: its id and its threshold in minor units. */
export interface TierThreshold {
  readonly id: string;
  readonly threshold: MinorUnits;
}

/** The highest tier whose threshold ≤ the 90-day sum (§2.5); tiers are ordered with the base tier first. */
export function tierFor<T extends TierThreshold>(sum: MinorUnits, tiers: readonly T[]): T {
  let chosen = tiers[0]!;
  for (const tier of tiers) if (tier.threshold <= sum) chosen = tier;
  return chosen;
}

/** The tier after `tierId`, and how much more the group must buy to reach it; undefined at the top (or for a tier not in `tiers`). */
export function nextTier<T extends TierThreshold>(tierId: string, sum: MinorUnits, tiers: readonly T[]): { tier: T; remaining: MinorUnits } | undefined {
  const index = tiers.findIndex((tier) => tier.id === tierId);
  const next = index < 0 ? undefined : tiers[index + 1];
  if (!next) return undefined;
  const remaining = next.threshold - sum;
  return { tier: next, remaining: remaining > 0n ? remaining : 0n };
}

/** Position of a tier in the program (for up/down); -1 for a tier the program no longer has. */
export function tierRank(tierId: string, tiers: readonly TierThreshold[]): number {
  return tiers.findIndex((tier) => tier.id === tierId);
}
