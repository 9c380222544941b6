import { describe, expect, it } from 'vitest';
import { asEvaluatedAt, evaluateGroup, isActive, recordNotices, type Evaluation, type GroupState, type TierChange } from '../../../lib/domain/group-evaluation.js';
import type { MinorUnits } from '../../../lib/domain/money.js';
import { NO_OUTLOOK } from '../../../lib/domain/outlook.js';
import type { TierFloor, TierPolicy } from '../../../lib/domain/tier-policy.js';

/** Today's behaviour: no retain thresholds below entry, no grace, one tier by the sum alone. */
const POLICY: TierPolicy = {
  tiers: [
    { id: 'base', threshold: 0n, retainThreshold: 0n, discountPercent: 0 },
    { id: 'bronze', threshold: 5_000_000n, retainThreshold: 5_000_000n, discountPercent: 2 },
    { id: 'silver', threshold: 15_000_000n, retainThreshold: 15_000_000n, discountPercent: 4 },
    { id: 'gold', threshold: 50_000_000n, retainThreshold: 50_000_000n, discountPercent: 6 },
  ],
  downgrade: { graceDays: 0, minDaysInTier: 0, oneStepAtATime: false },
};
const GRACE_3: TierPolicy = { ...POLICY, downgrade: { ...POLICY.downgrade, graceDays: 3 } };
/** The window and the notices of the default program. */
const WINDOW_AND_NOTICES = { windowDays: 90, notices: { enabled: true, atRiskDays: 14, nearNextTierPercent: 10, cooldownDays: 30 } };
/** What a state holds beside its standing before any outlook or notice. */
const NOTHING_NOTICED = { outlook: NO_OUTLOOK, noticedOn: {}, pendingNotices: [] };

function evaluate(groupId: string, sum: MinorUnits, asOf: string, previous: GroupState | undefined, options: { policy?: TierPolicy; floor?: TierFloor; qualifyingSum?: MinorUnits } = {}): Evaluation {
  return evaluateGroup({
    groupId,
    sums: { sum, qualifyingSum: options.qualifyingSum ?? sum, days: [] },
    asOf,
    previous,
    floor: options.floor,
    policy: { ...WINDOW_AND_NOTICES, ...(options.policy ?? POLICY) },
    retiredDiscount: () => undefined,
  });
}

function evaluated(evaluation: Evaluation): Extract<Evaluation, { kind: 'evaluated' }> {
  if (evaluation.kind !== 'evaluated') throw new Error(`expected an evaluation, got ${evaluation.kind}`);
  return evaluation;
}

const bronzeSince10th: GroupState = {
  groupId: 'G-7',
  sum: 6_000_000n,
  qualifyingSum: 6_000_000n,
  tierId: 'bronze',
  tierSince: '2026-11-10',
  belowRetainSince: null,
  appliedAsOf: '2026-11-20',
  changeCount: 1,
  pending: [],
  ...NOTHING_NOTICED,
};

describe('evaluateGroup', () => {
  it('a first evaluation into the base tier is not a change', () => {
    const result = evaluated(evaluate('G-1', 4_999_999n, '2026-11-21', undefined));
    expect(result.change).toBeUndefined();
    expect(result.state).toEqual({
      groupId: 'G-1',
      sum: 4_999_999n,
      qualifyingSum: 4_999_999n,
      tierId: 'base',
      tierSince: '2026-11-21',
      belowRetainSince: null,
      appliedAsOf: '2026-11-21',
      prior: null,
      changeCount: 0,
      pending: [],
      ...NOTHING_NOTICED,
    });
  });

  it('a first evaluation into bronze is an up change with seq 1 and eventId groupId/asOf/1', () => {
    const result = evaluated(evaluate('G-1', 5_000_000n, '2026-11-21', undefined));
    const change: TierChange = {
      eventId: 'G-1/2026-11-21/1',
      groupId: 'G-1',
      asOf: '2026-11-21',
      from: 'base',
      to: 'bronze',
      direction: 'up',
      sum: 5_000_000n,
      qualifyingSum: 5_000_000n,
      reason: 'sum',
      seq: 1,
    };
    expect(result.change).toEqual(change);
    expect(result.state).toMatchObject({ tierId: 'bronze', tierSince: '2026-11-21', changeCount: 1, pending: [change] });
  });

  it('a group may skip tiers: base straight to gold is one up change', () => {
    const result = evaluated(evaluate('G-1', 60_000_000n, '2026-11-21', undefined));
    expect(result.change).toMatchObject({ from: 'base', to: 'gold', direction: 'up', seq: 1 });
  });

  it('a fall below the threshold is a down change numbered after the previous ones', () => {
    const result = evaluated(evaluate('G-7', 4_999_999n, '2026-11-21', bronzeSince10th));
    expect(result.change).toEqual({
      eventId: 'G-7/2026-11-21/2',
      groupId: 'G-7',
      asOf: '2026-11-21',
      from: 'bronze',
      to: 'base',
      direction: 'down',
      sum: 4_999_999n,
      qualifyingSum: 4_999_999n,
      reason: 'sum',
      seq: 2,
    });
    expect(result.state).toMatchObject({ tierId: 'base', tierSince: '2026-11-21', changeCount: 2, appliedAsOf: '2026-11-21' });
  });

  it('staying in the tier is no change and keeps tierSince while the sum moves', () => {
    const result = evaluated(evaluate('G-7', 14_999_999n, '2026-11-21', bronzeSince10th));
    expect(result.change).toBeUndefined();
    expect(result.state).toMatchObject({ sum: 14_999_999n, tierId: 'bronze', tierSince: '2026-11-10', changeCount: 1, appliedAsOf: '2026-11-21' });
  });

  it('decides the tier by the qualifying sum and records both sums in the change', () => {
    const result = evaluated(evaluate('G-1', 4_000_000n, '2026-11-21', undefined, { qualifyingSum: 5_500_000n }));
    expect(result.change).toMatchObject({ to: 'bronze', sum: 4_000_000n, qualifyingSum: 5_500_000n });
    expect(result.state).toMatchObject({ sum: 4_000_000n, qualifyingSum: 5_500_000n });
  });

  it('re-running the same as-of date with the same sum changes nothing', () => {
    const first = evaluated(evaluate('G-1', 5_000_000n, '2026-11-21', undefined));
    const again = evaluated(evaluate('G-1', 5_000_000n, '2026-11-21', first.state));
    expect(again.change).toBeUndefined();
    expect(again.state).toEqual(first.state);
  });

  it('re-running the same as-of date after a correction applies it', () => {
    const corrected = evaluated(evaluate('G-7', 1_000_000n, '2026-11-20', bronzeSince10th));
    expect(corrected.change).toMatchObject({ eventId: 'G-7/2026-11-20/2', direction: 'down' });
  });

  it('an as-of date older than the last applied one is skipped', () => {
    expect(evaluate('G-7', 60_000_000n, '2026-11-19', bronzeSince10th)).toEqual({ kind: 'skipped', reason: 'evaluated-at-later-date' });
  });

  it('keeps unpublished changes in the outbox and appends the new one', () => {
    const earlier: TierChange = { eventId: 'G-7/2026-11-10/1', groupId: 'G-7', asOf: '2026-11-10', from: 'base', to: 'bronze', direction: 'up', sum: 6_000_000n, qualifyingSum: 6_000_000n, reason: 'sum', seq: 1 };
    const result = evaluated(evaluate('G-7', 20_000_000n, '2026-11-21', { ...bronzeSince10th, pending: [earlier] }));
    expect(result.state.pending.map((change) => change.eventId)).toEqual(['G-7/2026-11-10/1', 'G-7/2026-11-21/2']);
  });
});

describe('evaluating a date again starts from where the group stood before it', () => {
  const silverBelowSince23rd: GroupState = {
    ...bronzeSince10th,
    tierId: 'silver',
    tierSince: '2026-10-01',
    belowRetainSince: '2026-11-23',
    appliedAsOf: '2026-11-25',
    sum: 10_000_000n,
    qualifyingSum: 10_000_000n,
  };

  it('a countdown does not advance twice for one date: the downgrade of 11-26 evaluated again stays one downgrade', () => {
    const first = evaluated(evaluate('G-7', 10_000_000n, '2026-11-26', silverBelowSince23rd, { policy: { ...GRACE_3, downgrade: { ...GRACE_3.downgrade, oneStepAtATime: true } } }));
    expect(first.change).toMatchObject({ from: 'silver', to: 'bronze', seq: 2 });
    expect(first.state).toMatchObject({ tierId: 'bronze', tierSince: '2026-11-26', prior: { tierId: 'silver', belowRetainSince: '2026-11-23' } });
    const again = evaluated(evaluate('G-7', 10_000_000n, '2026-11-26', first.state, { policy: { ...GRACE_3, downgrade: { ...GRACE_3.downgrade, oneStepAtATime: true } } }));
    expect(again.change).toBeUndefined();
    expect(again.state).toEqual(first.state);
  });

  it('with grace 0 and one step at a time, a rerun of the downgrade date does not step down a second time', () => {
    const oneStep: TierPolicy = { ...POLICY, downgrade: { ...POLICY.downgrade, oneStepAtATime: true } };
    const gold = { ...silverBelowSince23rd, tierId: 'gold', belowRetainSince: null };
    const first = evaluated(evaluate('G-7', 1_000_000n, '2026-11-26', gold, { policy: oneStep }));
    expect(first.state).toMatchObject({ tierId: 'silver', belowRetainSince: '2026-11-26' });
    const again = evaluated(evaluate('G-7', 1_000_000n, '2026-11-26', first.state, { policy: oneStep }));
    expect(again.change).toBeUndefined();
    expect(again.state.tierId).toBe('silver');
  });

  it('a rerun after a late order undoes the downgrade with a new change back up', () => {
    const first = evaluated(evaluate('G-7', 10_000_000n, '2026-11-26', silverBelowSince23rd, { policy: GRACE_3 }));
    expect(first.change).toMatchObject({ from: 'silver', to: 'bronze', seq: 2 });
    const corrected = evaluated(evaluate('G-7', 16_000_000n, '2026-11-26', first.state, { policy: GRACE_3 }));
    expect(corrected.change).toMatchObject({ eventId: 'G-7/2026-11-26/3', from: 'bronze', to: 'silver', direction: 'up' });
    expect(corrected.state).toMatchObject({ tierId: 'silver', tierSince: '2026-10-01', belowRetainSince: null });
  });

  it('a state left as it was by a later run stands evaluated at that date, from itself', () => {
    const asOf26th = asEvaluatedAt(silverBelowSince23rd, '2026-11-26');
    expect(asOf26th).toMatchObject({ appliedAsOf: '2026-11-26', prior: { tierId: 'silver', tierSince: '2026-10-01', belowRetainSince: '2026-11-23' } });
    expect(asEvaluatedAt(silverBelowSince23rd, '2026-11-24')).toBe(silverBelowSince23rd);
    expect(asEvaluatedAt(silverBelowSince23rd, null)).toBe(silverBelowSince23rd);
  });

  it('a state stored before priors were kept is evaluated from itself', () => {
    const legacy = { ...bronzeSince10th, appliedAsOf: '2026-11-21', prior: undefined };
    expect(evaluated(evaluate('G-7', 6_000_000n, '2026-11-21', legacy)).state).toMatchObject({ tierId: 'bronze', tierSince: '2026-11-10', prior: { tierId: 'bronze' } });
  });
});

describe('changes of a tier a version dropped, and by a floor', () => {
  it('a group in a dropped tier moves by retain thresholds with reason program; the direction compares discounts', () => {
    const inCopper: GroupState = { ...bronzeSince10th, tierId: 'copper' };
    const higher = evaluateGroup({ groupId: 'G-7', sums: { sum: 6_000_000n, qualifyingSum: 6_000_000n, days: [] }, asOf: '2026-11-21', previous: inCopper, floor: undefined, policy: { ...WINDOW_AND_NOTICES, ...POLICY }, retiredDiscount: () => 1 });
    expect(evaluated(higher).change).toMatchObject({ from: 'copper', to: 'bronze', direction: 'up', reason: 'program' });
    const lower = evaluateGroup({ groupId: 'G-7', sums: { sum: 6_000_000n, qualifyingSum: 6_000_000n, days: [] }, asOf: '2026-11-21', previous: inCopper, floor: undefined, policy: { ...WINDOW_AND_NOTICES, ...POLICY }, retiredDiscount: () => 3 });
    expect(evaluated(lower).change).toMatchObject({ to: 'bronze', direction: 'down', reason: 'program' });
  });

  it('a floor lifts a group with no state: a tier-up with reason floor', () => {
    const result = evaluated(evaluate('G-9', 0n, '2026-11-21', undefined, { floor: { tierId: 'gold', until: '2026-12-31' } }));
    expect(result.change).toMatchObject({ from: 'base', to: 'gold', direction: 'up', reason: 'floor' });
  });
});

describe('isActive', () => {
  const dormant: GroupState = { groupId: 'G-1', sum: 0n, qualifyingSum: 0n, tierId: 'base', tierSince: '2026-11-01', belowRetainSince: null, appliedAsOf: '2026-11-21', changeCount: 0, pending: [], ...NOTHING_NOTICED };
  it.each<[string, GroupState, boolean]>([
    ['a zero sum in the base tier with nothing pending is dormant', dormant, false],
    ['a positive sum is active', { ...dormant, sum: 1n }, true],
    ['a positive qualifying sum is active', { ...dormant, qualifyingSum: 1n }, true],
    ['a paid tier is active', { ...dormant, tierId: 'bronze' }, true],
    [
      'an unpublished change is active',
      { ...dormant, pending: [{ eventId: 'x', groupId: 'G-1', asOf: '2026-11-21', from: 'bronze', to: 'base', direction: 'down', sum: 0n, qualifyingSum: 0n, reason: 'sum', seq: 2 }] },
      true,
    ],
  ])('%s', (_, state, active) => {
    expect(isActive(state, 'base')).toBe(active);
  });
});

describe('outlook and notices of an evaluation', () => {
  const D = '2026-11-21';
  /** Bronze on 60,000 bought on the 6th day of the window: it leaves on D + 6, so bronze holds until D + 5. */
  const input = (previous: GroupState | undefined, asOf = D) =>
    evaluateGroup({
      groupId: 'G-7',
      sums: { sum: 6_000_000n, qualifyingSum: 6_000_000n, days: [[5 - (asOf === D ? 0 : 1), 6_000_000n]] },
      asOf,
      previous,
      floor: undefined,
      policy: { ...WINDOW_AND_NOTICES, ...POLICY },
      retiredDiscount: () => undefined,
    });

  it('projects the outlook into the state and says the at-risk notice is due; recordNotices puts it in the outbox', () => {
    const first = evaluated(input(bronzeSince10th));
    expect(first.state.outlook).toEqual({ holdsUntil: '2026-11-26', toKeep: 5_000_000n, belowRetainSince: null, downgradeOn: '2026-11-27', downgradeTo: 'base' });
    expect(first.dueNotices).toEqual(['at-risk']);
    const recorded = recordNotices(first.state, first.dueNotices, POLICY, D);
    expect(recorded.noticedOn).toEqual({ 'at-risk': D });
    expect(recorded.pendingNotices).toEqual([
      { eventId: 'G-7/2026-11-21/at-risk', kind: 'at-risk', groupId: 'G-7', asOf: D, tierId: 'bronze', sum: 6_000_000n, qualifyingSum: 6_000_000n, outlook: first.state.outlook },
    ]);
    expect(isActive({ ...recorded, sum: 0n, qualifyingSum: 0n, tierId: 'base' }, 'base')).toBe(true);
  });

  it('evaluating the date again, or the next day, finds the notice sent: nothing due, the outbox kept until published', () => {
    const first = evaluated(input(bronzeSince10th));
    const recorded = recordNotices(first.state, first.dueNotices, POLICY, D);
    const again = evaluated(input(recorded));
    expect(again.dueNotices).toEqual([]);
    expect(again.state.pendingNotices).toHaveLength(1);
    const nextDay = evaluated(input({ ...recorded, pendingNotices: [] }, '2026-11-22'));
    expect(nextDay.state.outlook.holdsUntil).toBe('2026-11-26');
    expect(nextDay.dueNotices).toEqual([]);
  });

  it('a group that changes tier gets no notice that night', () => {
    const upToSilver = evaluateGroup({
      groupId: 'G-7',
      sums: { sum: 15_000_000n, qualifyingSum: 15_000_000n, days: [[0, 15_000_000n]] },
      asOf: D,
      previous: bronzeSince10th,
      floor: undefined,
      policy: { ...WINDOW_AND_NOTICES, ...POLICY },
      retiredDiscount: () => undefined,
    });
    expect(evaluated(upToSilver).change).toMatchObject({ to: 'silver' });
    expect(evaluated(upToSilver).state.outlook.holdsUntil).toBe(D);
    expect(evaluated(upToSilver).dueNotices).toEqual([]);
  });
});
