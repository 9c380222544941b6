import type { MinorUnits } from '../../../lib/domain/money.js';
import type { TierPolicy } from '../../../lib/domain/tier-policy.js';

/** Roubles as minor units. */
export const rub = (roubles: number): MinorUnits => BigInt(roubles) * 100n;

/** Entry thresholds 50k / 150k / 500k; keeping a tier needs 40k / 120k / 400k. */
export const TIERS: TierPolicy['tiers'] = [
  { id: 'base', threshold: 0n, retainThreshold: 0n, discountPercent: 0 },
  { id: 'bronze', threshold: rub(50_000), retainThreshold: rub(40_000), discountPercent: 2 },
  { id: 'silver', threshold: rub(150_000), retainThreshold: rub(120_000), discountPercent: 4 },
  { id: 'gold', threshold: rub(500_000), retainThreshold: rub(400_000), discountPercent: 6 },
];

/** The tiers above with the given downgrade rules (none by default: no grace, no minimum, any number of steps). */
export const policy = (downgrade: Partial<TierPolicy['downgrade']> = {}): TierPolicy => ({
  tiers: TIERS,
  downgrade: { graceDays: 0, minDaysInTier: 0, oneStepAtATime: false, ...downgrade },
});
