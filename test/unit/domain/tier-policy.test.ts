import { describe, expect, it } from 'vitest';
import type { MinorUnits } from '../../../lib/domain/money.js';
import { decideStanding, type TierFloor, type TierPolicy, type TierStanding } from '../../../lib/domain/tier-policy.js';
import { policy, rub } from './policy-fixture.js';
const standing = (tierId: string, tierSince: string, belowRetainSince: string | null = null): TierStanding => ({ tierId, tierSince, belowRetainSince });

type Case = [
  name: string,
  policy: TierPolicy,
  before: TierStanding | undefined,
  qualifyingSum: MinorUnits,
  floor: TierFloor | undefined,
  asOf: string,
  expected: { standing: TierStanding; reason: 'sum' | 'floor' | 'program' },
];

const graceSilver = standing('silver', '2026-10-01', '2026-11-23');

describe('decideStanding', () => {
  it.each<Case>([
    // Entry and retain thresholds
    ['a new group enters the highest tier whose entry threshold it meets', policy(), undefined, rub(150_000), undefined, '2026-11-21', { standing: standing('silver', '2026-11-21'), reason: 'sum' }],
    ['one kopeck under an entry threshold stays below it', policy(), undefined, rub(150_000) - 1n, undefined, '2026-11-21', { standing: standing('bronze', '2026-11-21'), reason: 'sum' }],
    ['a group exactly at the retain threshold keeps its tier, with no countdown', policy({ graceDays: 3 }), standing('silver', '2026-10-01'), rub(120_000), undefined, '2026-11-23', { standing: standing('silver', '2026-10-01'), reason: 'sum' }],
    ['one kopeck under the retain threshold starts the countdown on that run date', policy({ graceDays: 3 }), standing('silver', '2026-10-01'), rub(120_000) - 1n, undefined, '2026-11-23', { standing: graceSilver, reason: 'sum' }],
    ['without grace, a group under the retain threshold drops at once to the highest tier it retains', policy(), standing('silver', '2026-10-01'), rub(45_000), undefined, '2026-11-23', { standing: standing('bronze', '2026-11-23'), reason: 'sum' }],
    ['without grace, a drop can skip tiers (gold to base)', policy(), standing('gold', '2026-10-01'), rub(10_000), undefined, '2026-11-23', { standing: standing('base', '2026-11-23'), reason: 'sum' }],
    ['between retain and entry thresholds a group neither enters nor leaves a tier', policy(), standing('bronze', '2026-10-01'), rub(149_999), undefined, '2026-11-23', { standing: standing('bronze', '2026-10-01'), reason: 'sum' }],
    // Grace days: below on 11-23 with 3 grace days, still in the tier on 11-25, downgraded on 11-26
    ['grace: still in the tier on the day before the grace ends', policy({ graceDays: 3 }), graceSilver, rub(100_000), undefined, '2026-11-25', { standing: graceSilver, reason: 'sum' }],
    ['grace: downgraded by the run on the date the grace expires', policy({ graceDays: 3 }), graceSilver, rub(100_000), undefined, '2026-11-26', { standing: standing('bronze', '2026-11-26'), reason: 'sum' }],
    ['grace: downgraded by a later first run when runs were missed', policy({ graceDays: 3 }), graceSilver, rub(100_000), undefined, '2026-12-05', { standing: standing('bronze', '2026-12-05'), reason: 'sum' }],
    ['grace: recovery during grace (at the retain threshold) clears the countdown', policy({ graceDays: 3 }), graceSilver, rub(120_000), undefined, '2026-11-25', { standing: standing('silver', '2026-10-01'), reason: 'sum' }],
    ['grace: recovery above entry of a higher tier during grace is an immediate upgrade', policy({ graceDays: 3 }), graceSilver, rub(500_000), undefined, '2026-11-24', { standing: standing('gold', '2026-11-24'), reason: 'sum' }],
    ['grace: a countdown that recovered starts again from the next date below', policy({ graceDays: 3 }), standing('silver', '2026-10-01'), rub(100_000), undefined, '2026-11-27', { standing: standing('silver', '2026-10-01', '2026-11-27'), reason: 'sum' }],
    // Minimum days in tier
    ['minDaysInTier: no downgrade by a run before tierSince + minDaysInTier', policy({ minDaysInTier: 30 }), standing('silver', '2026-11-01'), rub(100_000), undefined, '2026-11-30', { standing: standing('silver', '2026-11-01', '2026-11-30'), reason: 'sum' }],
    ['minDaysInTier: downgraded on tierSince + minDaysInTier', policy({ minDaysInTier: 30 }), standing('silver', '2026-11-01', '2026-11-30'), rub(100_000), undefined, '2026-12-01', { standing: standing('bronze', '2026-12-01'), reason: 'sum' }],
    ['minDaysInTier and grace: the later of the two decides', policy({ graceDays: 10, minDaysInTier: 5 }), standing('silver', '2026-11-01', '2026-11-03'), rub(100_000), undefined, '2026-11-12', { standing: standing('silver', '2026-11-01', '2026-11-03'), reason: 'sum' }],
    // One step at a time, the countdown restarting in the new tier
    ['one step: gold far below drops to silver only, and silver counts down from that date', policy({ graceDays: 3, oneStepAtATime: true }), standing('gold', '2026-10-01', '2026-11-20'), rub(10_000), undefined, '2026-11-23', { standing: standing('silver', '2026-11-23', '2026-11-23'), reason: 'sum' }],
    ['one step: in the new tier the grace runs again before the next step', policy({ graceDays: 3, oneStepAtATime: true }), standing('silver', '2026-11-23', '2026-11-23'), rub(10_000), undefined, '2026-11-25', { standing: standing('silver', '2026-11-23', '2026-11-23'), reason: 'sum' }],
    ['one step: the next step when the restarted grace expires', policy({ graceDays: 3, oneStepAtATime: true }), standing('silver', '2026-11-23', '2026-11-23'), rub(10_000), undefined, '2026-11-26', { standing: standing('bronze', '2026-11-26', '2026-11-26'), reason: 'sum' }],
    ['one step: landing at or above the new tier’s retain threshold ends the countdown', policy({ oneStepAtATime: true }), standing('gold', '2026-10-01'), rub(130_000), undefined, '2026-11-23', { standing: standing('silver', '2026-11-23'), reason: 'sum' }],
    // Floors
    ['floor: lifts a group to the floor tier while D ≤ until, reason floor', policy(), standing('bronze', '2026-10-01'), rub(60_000), { tierId: 'gold', until: '2026-12-31' }, '2026-11-21', { standing: standing('gold', '2026-11-21'), reason: 'floor' }],
    ['floor: applies on its last day', policy(), standing('gold', '2026-11-21'), rub(60_000), { tierId: 'gold', until: '2026-12-31' }, '2026-12-31', { standing: standing('gold', '2026-11-21'), reason: 'sum' }],
    ['floor: stops the countdown while it holds the group in the floor tier', policy({ graceDays: 3 }), standing('gold', '2026-11-21'), rub(60_000), { tierId: 'gold', until: '2026-12-31' }, '2026-12-20', { standing: standing('gold', '2026-11-21'), reason: 'sum' }],
    ['floor: after until the normal rules apply and the countdown starts the day after', policy({ graceDays: 3 }), standing('gold', '2026-11-21'), rub(60_000), { tierId: 'gold', until: '2026-12-31' }, '2027-01-01', { standing: standing('gold', '2026-11-21', '2027-01-01'), reason: 'sum' }],
    ['floor: after until, without grace, the group drops at once', policy(), standing('gold', '2026-11-21'), rub(60_000), { tierId: 'gold', until: '2026-12-31' }, '2027-01-01', { standing: standing('bronze', '2027-01-01'), reason: 'sum' }],
    ['floor: a group above its floor counts down and drops no lower than the floor', policy(), standing('gold', '2026-10-01'), rub(10_000), { tierId: 'silver', until: '2026-12-31' }, '2026-11-21', { standing: standing('silver', '2026-11-21'), reason: 'sum' }],
    ['floor: a sum above the floor tier upgrades as usual', policy(), standing('silver', '2026-11-01'), rub(600_000), { tierId: 'silver', until: '2026-12-31' }, '2026-11-21', { standing: standing('gold', '2026-11-21'), reason: 'sum' }],
    ['floor: naming a tier the version does not have is ignored', policy(), standing('bronze', '2026-10-01'), rub(60_000), { tierId: 'platinum', until: '2026-12-31' }, '2026-11-21', { standing: standing('bronze', '2026-10-01'), reason: 'sum' }],
    // A version that drops the group's tier
    ['program: a tier the version dropped is re-evaluated by retain thresholds, reason program', policy({ graceDays: 30 }), standing('copper', '2026-10-01', '2026-11-20'), rub(130_000), undefined, '2026-11-21', { standing: standing('silver', '2026-11-21'), reason: 'program' }],
    ['program: a dropped tier with a small sum lands in the base tier', policy(), standing('copper', '2026-10-01'), rub(1_000), undefined, '2026-11-21', { standing: standing('base', '2026-11-21'), reason: 'program' }],
    ['program: a floor above the re-evaluated tier still lifts the group', policy(), standing('copper', '2026-10-01'), rub(1_000), { tierId: 'silver', until: '2026-12-31' }, '2026-11-21', { standing: standing('silver', '2026-11-21'), reason: 'program' }],
  ])('%s', (_, rules, before, qualifyingSum, floor, asOf, expected) => {
    expect(decideStanding(rules, before, qualifyingSum, floor, asOf)).toEqual(expected);
  });

  it('is the same on every evaluation of the same date from the same standing (no countdown advances twice)', () => {
    const rules = policy({ graceDays: 3, oneStepAtATime: true });
    const first = decideStanding(rules, graceSilver, rub(10_000), undefined, '2026-11-26');
    expect(decideStanding(rules, graceSilver, rub(10_000), undefined, '2026-11-26')).toEqual(first);
  });
});
