import { describe, expect, it } from 'vitest';
import { evaluateGroup, isActive, type Evaluation, type GroupState } from '../../../lib/domain/group-evaluation.js';
import type { TierThreshold } from '../../../lib/domain/tiers.js';

const TIERS: readonly TierThreshold[] = [
  { id: 'base', threshold: 0n },
  { id: 'bronze', threshold: 5_000_000n },
  { id: 'silver', threshold: 15_000_000n },
  { id: 'gold', threshold: 50_000_000n },
];

function evaluated(evaluation: Evaluation): Extract<Evaluation, { kind: 'evaluated' }> {
  if (evaluation.kind !== 'evaluated') throw new Error(`expected an evaluation, got ${evaluation.kind}`);
  return evaluation;
}

const bronzeSince10th: GroupState = {
  groupId: 'G-7',
  sum: 6_000_000n,
  tierId: 'bronze',
  tierSince: '2026-11-10',
  appliedAsOf: '2026-11-20',
  changeCount: 1,
  pending: [],
};

describe('evaluateGroup', () => {
  it('a first evaluation into the base tier is not a change', () => {
    const result = evaluated(evaluateGroup('G-1', 4_999_999n, '2026-11-21', undefined, TIERS));
    expect(result.change).toBeUndefined();
    expect(result.state).toEqual({
      groupId: 'G-1',
      sum: 4_999_999n,
      tierId: 'base',
      tierSince: '2026-11-21',
      appliedAsOf: '2026-11-21',
      changeCount: 0,
      pending: [],
    });
  });

  it('a first evaluation into bronze is an up change with seq 1 and eventId groupId/asOf/1', () => {
    const result = evaluated(evaluateGroup('G-1', 5_000_000n, '2026-11-21', undefined, TIERS));
    const change = {
      eventId: 'G-1/2026-11-21/1',
      groupId: 'G-1',
      asOf: '2026-11-21',
      from: 'base',
      to: 'bronze',
      direction: 'up',
      sum: 5_000_000n,
      seq: 1,
    };
    expect(result.change).toEqual(change);
    expect(result.state).toMatchObject({ tierId: 'bronze', tierSince: '2026-11-21', changeCount: 1, pending: [change] });
  });

  it('a group may skip tiers: base straight to gold is one up change', () => {
    const result = evaluated(evaluateGroup('G-1', 60_000_000n, '2026-11-21', undefined, TIERS));
    expect(result.change).toMatchObject({ from: 'base', to: 'gold', direction: 'up', seq: 1 });
  });

  it('a fall below the threshold is a down change numbered after the previous ones', () => {
    const result = evaluated(evaluateGroup('G-7', 4_999_999n, '2026-11-21', bronzeSince10th, TIERS));
    expect(result.change).toEqual({
      eventId: 'G-7/2026-11-21/2',
      groupId: 'G-7',
      asOf: '2026-11-21',
      from: 'bronze',
      to: 'base',
      direction: 'down',
      sum: 4_999_999n,
      seq: 2,
    });
    expect(result.state).toMatchObject({ tierId: 'base', tierSince: '2026-11-21', changeCount: 2, appliedAsOf: '2026-11-21' });
  });

  it('staying in the tier is no change and keeps tierSince while the sum moves', () => {
    const result = evaluated(evaluateGroup('G-7', 14_999_999n, '2026-11-21', bronzeSince10th, TIERS));
    expect(result.change).toBeUndefined();
    expect(result.state).toMatchObject({ sum: 14_999_999n, tierId: 'bronze', tierSince: '2026-11-10', changeCount: 1, appliedAsOf: '2026-11-21' });
  });

  it('re-running the same as-of date with the same sum changes nothing', () => {
    const first = evaluated(evaluateGroup('G-1', 5_000_000n, '2026-11-21', undefined, TIERS));
    const again = evaluated(evaluateGroup('G-1', 5_000_000n, '2026-11-21', first.state, TIERS));
    expect(again.change).toBeUndefined();
    expect(again.state).toEqual(first.state);
  });

  it('re-running the same as-of date after a correction applies it', () => {
    const corrected = evaluated(evaluateGroup('G-7', 1_000_000n, '2026-11-20', bronzeSince10th, TIERS));
    expect(corrected.change).toMatchObject({ eventId: 'G-7/2026-11-20/2', direction: 'down' });
  });

  it('an as-of date older than the last applied one is skipped', () => {
    expect(evaluateGroup('G-7', 60_000_000n, '2026-11-19', bronzeSince10th, TIERS)).toEqual({ kind: 'skipped', reason: 'evaluated-at-later-date' });
  });

  it('keeps unpublished changes in the outbox and appends the new one', () => {
    const earlier = { eventId: 'G-7/2026-11-10/1', groupId: 'G-7', asOf: '2026-11-10', from: 'base', to: 'bronze', direction: 'up' as const, sum: 6_000_000n, seq: 1 };
    const result = evaluated(evaluateGroup('G-7', 20_000_000n, '2026-11-21', { ...bronzeSince10th, pending: [earlier] }, TIERS));
    expect(result.state.pending.map((change) => change.eventId)).toEqual(['G-7/2026-11-10/1', 'G-7/2026-11-21/2']);
  });
});

describe('isActive', () => {
  const dormant: GroupState = { groupId: 'G-1', sum: 0n, tierId: 'base', tierSince: '2026-11-01', appliedAsOf: '2026-11-21', changeCount: 0, pending: [] };
  it.each<[string, GroupState, boolean]>([
    ['a zero sum in the base tier with nothing pending is dormant', dormant, false],
    ['a positive sum is active', { ...dormant, sum: 1n }, true],
    ['a paid tier is active', { ...dormant, tierId: 'bronze' }, true],
    ['an unpublished change is active', { ...dormant, pending: [{ eventId: 'x', groupId: 'G-1', asOf: '2026-11-21', from: 'bronze', to: 'base', direction: 'down', sum: 0n, seq: 2 }] }, true],
  ])('%s', (_, state, active) => {
    expect(isActive(state, 'base')).toBe(active);
  });
});
