import { addDays, type BusinessDate } from './business-date.js';
import type { MinorUnits } from './money.js';
import { tierFor, type TierThreshold } from './tiers.js';

/** What the policy needs of a tier: the bar to enter it, the lower bar to keep it, its discount. */
export interface PolicyTier extends TierThreshold {
  readonly retainThreshold: MinorUnits;
  readonly discountPercent: number;
}

/** The tier rules of one program version (§2.5, §4.2); tiers ordered with the base tier first. */
export interface TierPolicy {
  readonly tiers: readonly PolicyTier[];
  readonly downgrade: { readonly graceDays: number; readonly minDaysInTier: number; readonly oneStepAtATime: boolean };
}

/** Where a group stands in the program: its tier, since when, and since when it is below the tier's retain bar. */
export interface TierStanding {
  tierId: string;
  tierSince: BusinessDate;
  /** The first run date on which the group was below its tier's retain threshold; null when it is not below. */
  belowRetainSince: BusinessDate | null;
}

/** A tier the manager guarantees a group until a date (§4.2). */
export interface TierFloor {
  readonly tierId: string;
  readonly until: BusinessDate;
}

/** Why a group moved: thresholds, a floor, or a program version that dropped its tier (§4.2). */
export type ChangeReason = 'sum' | 'floor' | 'program';

const rankOf = (tiers: readonly PolicyTier[], tierId: string) => tiers.findIndex((tier) => tier.id === tierId);

/** The highest tier below `belowRank` whose retain threshold the sum meets (the base tier's is 0). */
function highestRetainedRank(tiers: readonly PolicyTier[], qualifyingSum: MinorUnits, belowRank: number): number {
  for (let rank = belowRank - 1; rank > 0; rank--) if (tiers[rank]!.retainThreshold <= qualifyingSum) return rank;
  return 0;
}

/** The tier the rules give without the floor, and why it differs from the group's current tier. */
function ruledRank(policy: TierPolicy, before: TierStanding | undefined, qualifyingSum: MinorUnits, asOf: BusinessDate): { rank: number; reason: ChangeReason } {
  const { tiers, downgrade } = policy;
  const entryRank = rankOf(tiers, tierFor(qualifyingSum, tiers).id);
  if (!before) return { rank: entryRank, reason: 'sum' };
  const currentRank = rankOf(tiers, before.tierId);
  if (currentRank < 0) return { rank: highestRetainedRank(tiers, qualifyingSum, tiers.length), reason: 'program' };
  // Upgrades are immediate; a group at or above its tier's retain threshold keeps it.
  if (entryRank > currentRank) return { rank: entryRank, reason: 'sum' };
  if (qualifyingSum >= tiers[currentRank]!.retainThreshold) return { rank: currentRank, reason: 'sum' };
  const belowSince = before.belowRetainSince ?? asOf;
  const graceOver = asOf >= addDays(belowSince, downgrade.graceDays);
  const longEnoughInTier = asOf >= addDays(before.tierSince, downgrade.minDaysInTier);
  if (!graceOver || !longEnoughInTier) return { rank: currentRank, reason: 'sum' };
  const rank = downgrade.oneStepAtATime ? currentRank - 1 : highestRetainedRank(tiers, qualifyingSum, currentRank);
  return { rank, reason: 'sum' };
}

/**
 * Where a group stands after the run for D (§4.2), from where it stood before D: upgrades to the highest
 * tier whose entry threshold the qualifying sum meets are immediate; below its tier's retain threshold a
 * group keeps the tier until `graceDays` after the first run date it was below and `minDaysInTier` after
 * it entered, then drops one step or to the highest tier it retains; a floor in force (D ≤ until) keeps it
 * at least in the floor tier and stops its countdown; a tier the version no longer has is re-evaluated by
 * retain thresholds. The countdown is a date, not a counter: evaluating D again from the same standing
 * gives the same answer, so a rerun or a retried shard never advances it twice.
 */
export function decideStanding(
  policy: TierPolicy,
  before: TierStanding | undefined,
  qualifyingSum: MinorUnits,
  floor: TierFloor | undefined,
  asOf: BusinessDate,
): { standing: TierStanding; reason: ChangeReason } {
  const { tiers } = policy;
  const floorRank = floor && asOf <= floor.until ? rankOf(tiers, floor.tierId) : -1;
  const ruled = ruledRank(policy, before, qualifyingSum, asOf);
  const rank = Math.max(ruled.rank, floorRank);
  const tier = tiers[rank]!;
  const moved = !before || before.tierId !== tier.id;
  const currentRank = before ? rankOf(tiers, before.tierId) : 0;
  const reason = ruled.reason === 'sum' && floorRank > ruled.rank && rank > currentRank ? 'floor' : ruled.reason;
  const below = qualifyingSum < tier.retainThreshold && rank !== floorRank;
  const belowRetainSince = !below ? null : moved ? asOf : (before.belowRetainSince ?? asOf);
  return { standing: { tierId: tier.id, tierSince: moved ? asOf : before.tierSince, belowRetainSince }, reason: moved ? reason : 'sum' };
}
