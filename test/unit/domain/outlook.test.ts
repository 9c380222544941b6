import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../lib/domain/business-date.js';
import { addDaySum, type DaySums } from '../../../lib/domain/day-sums.js';
import type { MinorUnits } from '../../../lib/domain/money.js';
import { projectOutlook, type Outlook } from '../../../lib/domain/outlook.js';
import { qualifyingAmount } from '../../../lib/domain/qualifying.js';
import { decideStanding, type TierFloor, type TierPolicy, type TierStanding } from '../../../lib/domain/tier-policy.js';
import { policy, rub, TIERS } from './policy-fixture.js';

const WINDOW = 90;
const D = '2026-11-21';
const FIRST_DAY = addDays(D, -(WINDOW - 1)); // 2026-08-24: leaves the window on D + 1
const day = (n: number) => addDays(D, n);


/** An order of a hand-made timeline: its business date and its qualifying amount. */
type Order = { date: string; qualifying: MinorUnits };
const order = (date: string, roubles: number): Order => ({ date, qualifying: rub(roubles) });

/** The window's day sums of a timeline, as the run's map phase builds them. */
function daySumsOf(orders: Order[], asOf = D): DaySums {
  const first = addDays(asOf, -(WINDOW - 1));
  const days: DaySums = [];
  for (const { date, qualifying } of [...orders].sort((a, b) => a.date.localeCompare(b.date))) {
    if (date >= first && date <= asOf) addDaySum(days, daysBetween(first, date), qualifying);
  }
  return days;
}
const windowSum = (orders: Order[], asOf: string) =>
  orders.filter(({ date }) => date >= addDays(asOf, -(WINDOW - 1)) && date <= asOf).reduce((sum, { qualifying }) => sum + qualifying, 0n);

function outlookOf(orders: Order[], standing: TierStanding, options: { rules?: TierPolicy; floor?: TierFloor } = {}) {
  return projectOutlook({
    policy: options.rules ?? policy(),
    standing,
    qualifyingSum: windowSum(orders, D),
    days: daySumsOf(orders),
    windowDays: WINDOW,
    floor: options.floor,
    asOf: D,
  });
}

const standing = (tierId: string, tierSince = '2026-10-01', belowRetainSince: string | null = null): TierStanding => ({ tierId, tierSince, belowRetainSince });

describe('projectOutlook on hand-made timelines', () => {
  it.each<[string, Order[], TierStanding, { rules?: TierPolicy; floor?: TierFloor }, Outlook]>([
    ['the base tier has no outlook', [order(D, 40_000)], standing('base'), {}, { holdsUntil: null, toKeep: null, belowRetainSince: null, downgradeOn: null, downgradeTo: null }],
    [
      'one order on the first day of the window: holds until D only, then drops to the base tier',
      [order(FIRST_DAY, 150_000)],
      standing('silver'),
      {},
      { holdsUntil: D, toKeep: rub(120_000), belowRetainSince: null, downgradeOn: day(1), downgradeTo: 'base' },
    ],
    [
      'one order on the last day of the window (D): holds 89 more days',
      [order(D, 150_000)],
      standing('silver'),
      {},
      { holdsUntil: day(89), toKeep: rub(120_000), belowRetainSince: null, downgradeOn: day(90), downgradeTo: 'base' },
    ],
    [
      'orders on the first and the last day: the first leaving takes it under the retain threshold, and it lands in bronze',
      [order(FIRST_DAY, 100_000), order(D, 100_000)],
      standing('silver'),
      {},
      { holdsUntil: D, toKeep: rub(20_000), belowRetainSince: null, downgradeOn: day(1), downgradeTo: 'bronze' },
    ],
    [
      'exactly at the retain threshold once the first day has left still holds; the next day to leave takes it under',
      [order(FIRST_DAY, 30_000), order(addDays(FIRST_DAY, 10), 90_000), order(addDays(FIRST_DAY, 40), 30_000)],
      standing('silver'),
      {},
      { holdsUntil: day(10), toKeep: rub(90_000), belowRetainSince: null, downgradeOn: day(11), downgradeTo: 'base' },
    ],
    [
      'grace days: the countdown starts the day after holdsUntil and the downgrade comes graceDays later',
      [order(addDays(FIRST_DAY, 4), 150_000)],
      standing('silver'),
      { rules: policy({ graceDays: 3 }) },
      { holdsUntil: day(4), toKeep: rub(120_000), belowRetainSince: null, downgradeOn: day(8), downgradeTo: 'base' },
    ],
    [
      'in a countdown: no holdsUntil, toKeep is what is missing now, the downgrade when the grace ends',
      [order(addDays(FIRST_DAY, 30), 100_000)],
      standing('silver', '2026-10-01', day(-1)),
      { rules: policy({ graceDays: 3 }) },
      { holdsUntil: null, toKeep: rub(20_000), belowRetainSince: day(-1), downgradeOn: day(2), downgradeTo: 'bronze' },
    ],
    [
      'minimum days in tier: the downgrade waits for tierSince + minDaysInTier',
      [order(addDays(FIRST_DAY, 2), 150_000)],
      standing('silver', day(-5)),
      { rules: policy({ minDaysInTier: 30 }) },
      { holdsUntil: day(2), toKeep: rub(120_000), belowRetainSince: null, downgradeOn: day(25), downgradeTo: 'base' },
    ],
    [
      'without one step, the landing tier is by the sum on the downgrade date (it kept falling during the grace)',
      [order(addDays(FIRST_DAY, 0), 400_000), order(addDays(FIRST_DAY, 5), 50_000), order(D, 60_000)],
      standing('gold'),
      { rules: policy({ graceDays: 10 }) },
      { holdsUntil: D, toKeep: rub(290_000), belowRetainSince: null, downgradeOn: day(11), downgradeTo: 'bronze' },
    ],
    [
      'one step at a time: gold far below moves to silver only',
      [order(FIRST_DAY, 500_000)],
      standing('gold'),
      { rules: policy({ oneStepAtATime: true }) },
      { holdsUntil: D, toKeep: rub(400_000), belowRetainSince: null, downgradeOn: day(1), downgradeTo: 'silver' },
    ],
    [
      'a floor in force of its tier, no purchases: nothing holds it by the sum; the downgrade the day after the floor ends',
      [],
      standing('gold', day(-3)),
      { floor: { tierId: 'gold', until: day(20) }, rules: policy({ graceDays: 2 }) },
      { holdsUntil: null, toKeep: rub(400_000), belowRetainSince: null, downgradeOn: day(23), downgradeTo: 'base' },
    ],
    [
      'a floor of its tier that outlasts the sum: holdsUntil by the sum, the countdown after the floor',
      [order(addDays(FIRST_DAY, 5), 450_000), order(addDays(FIRST_DAY, 60), 60_000)],
      standing('gold'),
      { floor: { tierId: 'gold', until: day(20) } },
      { holdsUntil: day(5), toKeep: rub(340_000), belowRetainSince: null, downgradeOn: day(21), downgradeTo: 'bronze' },
    ],
    [
      'a floor that ends before the sum falls changes nothing',
      [order(addDays(FIRST_DAY, 40), 450_000)],
      standing('gold'),
      { floor: { tierId: 'gold', until: day(10) } },
      { holdsUntil: day(40), toKeep: rub(400_000), belowRetainSince: null, downgradeOn: day(41), downgradeTo: 'base' },
    ],
    [
      'a floor below its tier: the countdown runs, and the drop stops at the floor tier while the floor lasts',
      [order(FIRST_DAY, 500_000)],
      standing('gold'),
      { floor: { tierId: 'silver', until: day(60) } },
      { holdsUntil: D, toKeep: rub(400_000), belowRetainSince: null, downgradeOn: day(1), downgradeTo: 'silver' },
    ],
  ])('%s', (_, orders, before, options, expected) => {
    expect(outlookOf(orders, before, options).outlook).toEqual(expected);
  });

  it('a focus-brand order rolling off: the qualifying amount (×2 on GROHE) decides holdsUntil, not the real amount', () => {
    // 100,000 real of which 30,000 GROHE at ×2: qualifies 130,000, enough for silver's 120,000 retain threshold.
    const focus = qualifyingAmount(rub(100_000), new Map([['grohe', [rub(30_000)]]]), new Map([['grohe', 200n]]));
    expect(focus).toBe(rub(130_000));
    const orders = [{ date: addDays(FIRST_DAY, 7), qualifying: focus }, order(addDays(FIRST_DAY, 20), 100_000)];
    expect(outlookOf(orders, standing('silver')).outlook).toEqual({ holdsUntil: day(7), toKeep: rub(20_000), belowRetainSince: null, downgradeOn: day(8), downgradeTo: 'bronze' });
  });

  it('gives the same absolute dates on the following nights when nothing is bought', () => {
    const orders = [order(addDays(FIRST_DAY, 3), 80_000), order(addDays(FIRST_DAY, 30), 90_000), order(addDays(D, -2), 10_000)];
    const rules = policy({ graceDays: 4 });
    const tonight = outlookOf(orders, standing('silver'), { rules }).outlook;
    for (const later of [1, 2, 3]) {
      const asOf = day(later);
      const next = projectOutlook({ policy: rules, standing: standing('silver'), qualifyingSum: windowSum(orders, asOf), days: daySumsOf(orders, asOf), windowDays: WINDOW, floor: undefined, asOf });
      expect(next.outlook).toEqual(tonight);
    }
  });

  it('countdownFrom: the day after holdsUntil, the day after a floor of the tier ends, or the countdown already running', () => {
    expect(outlookOf([order(addDays(FIRST_DAY, 4), 150_000)], standing('silver')).countdownFrom).toBe(day(5));
    expect(outlookOf([], standing('gold'), { floor: { tierId: 'gold', until: day(20) } }).countdownFrom).toBe(day(21));
    expect(outlookOf([], standing('silver', '2026-10-01', day(-2)), { rules: policy({ graceDays: 5 }) }).countdownFrom).toBe(day(-2));
    expect(outlookOf([order(D, 10_000)], standing('base')).countdownFrom).toBeNull();
  });
});

describe('projectOutlook agrees with the nightly runs it predicts', () => {
  /** A small deterministic generator, so failures reproduce. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  it('on 300 random timelines, night-by-night evaluation drops the group on downgradeOn into downgradeTo, and its sum meets the retain threshold exactly through holdsUntil', () => {
    const next = random(13);
    for (let trial = 0; trial < 300; trial++) {
      const orders = Array.from({ length: Math.floor(next() * 6) }, () => order(addDays(FIRST_DAY, Math.floor(next() * WINDOW)), Math.round(20_000 + next() * 300_000)));
      const rules = policy({ graceDays: Math.floor(next() * 5), minDaysInTier: Math.floor(next() * 40), oneStepAtATime: next() < 0.5 });
      const floor = next() < 0.3 ? { tierId: TIERS[1 + Math.floor(next() * 3)]!.id, until: day(Math.floor(next() * 60)) } : undefined;
      // Where the group stands after the run for D, evaluated from a gold standing of a month ago.
      const tonight = decideStanding(rules, standing('gold', day(-30)), windowSum(orders, D), floor, D).standing;
      const { outlook } = outlookOf(orders, tonight, { rules, floor });
      if (tonight.tierId === 'base') continue;
      const retain = TIERS.find((tier) => tier.id === tonight.tierId)!.retainThreshold;

      let current = tonight;
      let dropped = false;
      let lastMeeting: string | null = windowSum(orders, D) >= retain ? D : null;
      for (let night = 1; night <= 200; night++) {
        const asOf = day(night);
        const sum = windowSum(orders, asOf);
        if (lastMeeting === day(night - 1) && sum >= retain) lastMeeting = asOf;
        current = decideStanding(rules, current, sum, floor, asOf).standing;
        if (current.tierId !== tonight.tierId) {
          expect({ trial, on: asOf, to: current.tierId }).toEqual({ trial, on: outlook.downgradeOn, to: outlook.downgradeTo });
          dropped = true;
          break;
        }
      }
      expect({ trial, dropped, holdsUntil: outlook.holdsUntil }).toEqual({ trial, dropped: true, holdsUntil: lastMeeting });
    }
  });
});
