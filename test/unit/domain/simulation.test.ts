import { describe, expect, it } from 'vitest';
import { emptyTallies, entryTier, mergeTallies, moveBetween, tableTierIds, tallyGroup, totalDiscountCost } from '../../../lib/domain/simulation.js';
import type { PolicyTier, TierPolicy } from '../../../lib/domain/tier-policy.js';

const tier = (id: string, threshold: bigint, discountPercent: number, retainThreshold = threshold): PolicyTier => ({ id, threshold, retainThreshold, discountPercent });
const policy = (tiers: PolicyTier[]): TierPolicy => ({ tiers, downgrade: { graceDays: 30, minDaysInTier: 90, oneStepAtATime: true } });
const current = policy([tier('base', 0n, 0), tier('bronze', 5_000_000n, 2, 4_000_000n), tier('silver', 15_000_000n, 4)]);
const candidate = policy([tier('base', 0n, 0), tier('bronze', 4_000_000n, 3), tier('silver', 20_000_000n, 4), tier('gold', 40_000_000n, 6)]);
const D = '2026-11-30';

describe('entryTier: entry thresholds and a floor, no countdowns (§4.5)', () => {
  it.each<[bigint, string]>([
    [4_999_999n, 'base'], // under the entry threshold; a retain threshold keeps no one without a history
    [5_000_000n, 'bronze'],
    [14_999_999n, 'bronze'],
    [15_000_000n, 'silver'],
  ])('a qualifying sum of %s kopecks enters %s', (qualifying, tierId) => {
    expect(entryTier(current, qualifying, undefined, D).id).toBe(tierId);
  });

  it('lifts a group to a floor in force at D, and not after its until', () => {
    expect(entryTier(current, 100n, { tierId: 'silver', until: D }, D).id).toBe('silver');
    expect(entryTier(current, 100n, { tierId: 'silver', until: '2026-11-29' }, D).id).toBe('base');
    expect(entryTier(current, 100n, { tierId: 'diamond', until: D }, D).id).toBe('base'); // a tier the program lacks
  });
});

describe('moveBetween: tiers of two programs compare by what they give', () => {
  it.each<[PolicyTier, PolicyTier, string]>([
    [tier('base', 0n, 0), tier('bronze', 4_000_000n, 3), 'up'],
    [tier('silver', 15_000_000n, 4), tier('bronze', 4_000_000n, 3), 'down'],
    [tier('silver', 15_000_000n, 4), tier('silver', 20_000_000n, 4), 'same'], // the same tier, its threshold changed
    [tier('silver', 15_000_000n, 4), tier('silver-plus', 20_000_000n, 4), 'up'], // equal discount, higher bar
    [tier('silver', 15_000_000n, 4), tier('steel', 10_000_000n, 4), 'down'],
  ])('%o → %o is %s', (from, to, move) => {
    expect(moveBetween(from, to)).toBe(move);
  });
});

describe('tallies', () => {
  const entered = (p: TierPolicy, sum: bigint) => ({ tier: entryTier(p, sum, undefined, D), sum });

  it('counts tiers, costs (the real sum at the discount, half-up per group) and moves per program, and merges shards into the same totals', () => {
    const [a, b] = [emptyTallies(), emptyTallies()];
    expect(tallyGroup(a, entered(current, 4_500_000n), entered(candidate, 4_500_000n))).toBe('up'); // base → bronze: 0 → 1,350.00
    expect(tallyGroup(a, entered(current, 16_000_000n), entered(candidate, 16_000_000n))).toBe('down'); // silver → bronze: 6,400.00 → 4,800.00
    // bronze → bronze: 2% of 60,000.25 = 1,200.005 → 1,200.01; 3% = 1,800.0075 → 1,800.01
    expect(tallyGroup(b, entered(current, 6_000_025n), entered(candidate, 6_000_025n))).toBe('same');
    const merged = mergeTallies([a, b]);
    expect(merged).toEqual({
      groups: 3,
      current: new Map([
        ['base', { groups: 1, sum: 4_500_000n, discountCost: 0n }],
        ['silver', { groups: 1, sum: 16_000_000n, discountCost: 640_000n }],
        ['bronze', { groups: 1, sum: 6_000_025n, discountCost: 120_001n }],
      ]),
      candidate: new Map([['bronze', { groups: 3, sum: 26_500_025n, discountCost: 135_000n + 480_000n + 180_001n }]]),
      moves: { up: 1, down: 1, same: 1 },
      matrix: { base: { bronze: 1 }, silver: { bronze: 1 }, bronze: { bronze: 1 } },
    });
    expect(totalDiscountCost(merged.current)).toBe(760_001n);
    expect(totalDiscountCost(merged.candidate)).toBe(795_001n);
  });

  it('lists the candidate’s tiers in its order, then the current tiers it drops', () => {
    expect(tableTierIds([{ id: 'base' }, { id: 'bronze' }, { id: 'legacy' }], [{ id: 'base' }, { id: 'bronze' }, { id: 'gold' }])).toEqual(['base', 'bronze', 'gold', 'legacy']);
  });
});
