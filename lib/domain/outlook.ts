import { addDays, daysBetween, type BusinessDate } from './business-date.js';
import type { DaySums } from './day-sums.js';
import type { MinorUnits } from './money.js';
import { decideStanding, type TierFloor, type TierPolicy, type TierStanding } from './tier-policy.js';
import { tierRank } from './tiers.js';

/**
 * What a group can expect if it buys nothing more (§4.4): orders leave the window day by day, and the
 * tier policy (retain threshold, grace, minimum time in tier, floor) is applied at every nightly run.
 */
export interface Outlook {
  /** The last date its qualifying sum still meets its tier's retain threshold; null in the base tier and while below it. */
  holdsUntil: BusinessDate | null;
  /** What it must buy (qualifying) by the day after `holdsUntil` to keep the tier, or now while below; null in the base tier. */
  toKeep: MinorUnits | null;
  /** The first run date it was below its tier's retain threshold; null if it is not below. */
  belowRetainSince: BusinessDate | null;
  /** The first run date at which the policy would move it down; null in the base tier. */
  downgradeOn: BusinessDate | null;
  /** The tier it would move down to on `downgradeOn`. */
  downgradeTo: string | null;
}

/** What projecting a group's outlook needs: where it stands after the run for D, and what its window holds. */
export interface OutlookInput {
  policy: TierPolicy;
  standing: TierStanding;
  qualifyingSum: MinorUnits;
  /** The qualifying amounts by day of D's window (offset 0 is D − windowDays + 1). */
  days: DaySums;
  windowDays: number;
  floor: TierFloor | undefined;
  asOf: BusinessDate;
}

/** The outlook, and the run date its countdown starts (or started) if it buys nothing more: when it is at risk. */
export interface Projection {
  outlook: Outlook;
  /** Null in the base tier. A floor of its own tier defers it to the day after the floor ends. */
  countdownFrom: BusinessDate | null;
}

/** The outlook of a group in the base tier, or never evaluated: nothing to hold, nothing to lose. */
export const NO_OUTLOOK: Outlook = { holdsUntil: null, toKeep: null, belowRetainSince: null, downgradeOn: null, downgradeTo: null };

/** The qualifying sum `k` days after D with nothing bought: the days at offsets below `k` have left the window. */
function sumAfter(days: DaySums, qualifyingSum: MinorUnits, windowDays: number, k: number): MinorUnits {
  if (k >= windowDays) return 0n;
  let sum = qualifyingSum;
  for (const [offset, amount] of days) {
    if (offset >= k) break;
    sum -= amount;
  }
  return sum;
}

/** How long the sum alone keeps the tier: the last date it meets `retain`, and what the next day lacks. */
function holdBySum(days: DaySums, qualifyingSum: MinorUnits, windowDays: number, retain: MinorUnits, asOf: BusinessDate) {
  let left = qualifyingSum;
  for (const [offset, amount] of days) {
    // The day at `offset` leaves the window on D + offset + 1; until then the sum is `left`.
    if (left - amount < retain) return { holdsUntil: addDays(asOf, offset), toKeep: retain - (left - amount) };
    left -= amount;
  }
  // Amounts the days do not itemize stay until the whole window has passed.
  return { holdsUntil: addDays(asOf, windowDays - 1), toKeep: retain };
}

/**
 * Projects a group's outlook after the run for D (§4.4), from the run's own sums: the day the qualifying
 * sum falls below the tier's retain threshold, the countdown that then starts (at once, or the day after a
 * floor of its tier ends), and the run that ends it (grace over and minimum time in tier served), where
 * the policy itself (decideStanding) says which tier it lands in. The dates are absolute: if nothing is
 * bought, the runs of the following days project the same dates.
 */
export function projectOutlook(input: OutlookInput): Projection {
  const { policy, standing, qualifyingSum, days, windowDays, floor, asOf } = input;
  const rank = tierRank(standing.tierId, policy.tiers);
  if (rank <= 0) return { outlook: NO_OUTLOOK, countdownFrom: null };
  const retain = policy.tiers[rank]!.retainThreshold;
  const meets = qualifyingSum >= retain;
  const { holdsUntil, toKeep } = meets ? holdBySum(days, qualifyingSum, windowDays, retain, asOf) : { holdsUntil: null, toKeep: retain - qualifyingSum };

  const floorHoldsTier = floor !== undefined && floor.until >= asOf && tierRank(floor.tierId, policy.tiers) === rank;
  const belowFrom = holdsUntil ? addDays(holdsUntil, 1) : asOf;
  const countdownFrom = standing.belowRetainSince ?? (floorHoldsTier && floor.until >= belowFrom ? addDays(floor.until, 1) : belowFrom);
  const graceOver = addDays(countdownFrom, policy.downgrade.graceDays);
  const longEnoughInTier = addDays(standing.tierSince, policy.downgrade.minDaysInTier);
  const downgradeOn = graceOver > longEnoughInTier ? graceOver : longEnoughInTier;

  const countingDown = { ...standing, belowRetainSince: countdownFrom };
  const landed = decideStanding(policy, countingDown, sumAfter(days, qualifyingSum, windowDays, daysBetween(asOf, downgradeOn)), floor, downgradeOn).standing;
  const outlook = { holdsUntil, toKeep, belowRetainSince: standing.belowRetainSince, downgradeOn, downgradeTo: landed.tierId };
  return { outlook, countdownFrom };
}
