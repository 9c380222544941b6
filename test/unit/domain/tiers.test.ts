import { describe, expect, it } from 'vitest';
import { nextTier, tierFor, tierRank, type TierThreshold } from '../../../lib/domain/tiers.js';
import { loadProgramConfig } from '../../../lib/program/program-config.js';

/** The default program's thresholds (§2.5) in kopecks. */
const TIERS: readonly TierThreshold[] = [
  { id: 'base', threshold: 0n },
  { id: 'bronze', threshold: 5_000_000n },
  { id: 'silver', threshold: 15_000_000n },
  { id: 'gold', threshold: 50_000_000n },
  { id: 'platinum', threshold: 150_000_000n },
];

describe('tierFor', () => {
  it.each<[bigint, string]>([
    [0n, 'base'],
    [4_999_999n, 'base'], // 49,999.99 ₽
    [5_000_000n, 'bronze'], // exactly 50,000 ₽
    [5_000_001n, 'bronze'],
    [14_999_999n, 'bronze'],
    [15_000_000n, 'silver'],
    [15_000_001n, 'silver'],
    [49_999_999n, 'silver'],
    [50_000_000n, 'gold'],
    [50_000_001n, 'gold'],
    [149_999_999n, 'gold'],
    [150_000_000n, 'platinum'],
    [150_000_001n, 'platinum'],
    [99_999_999_999_999_999n, 'platinum'],
  ])('a sum of %s kopecks is %s', (sum, tierId) => {
    expect(tierFor(sum, TIERS).id).toBe(tierId);
  });

  it('matches the default program config', () => {
    const program = loadProgramConfig();
    expect(program.tiers.map(({ id, threshold }) => ({ id, threshold }))).toEqual(TIERS);
  });
});

describe('nextTier', () => {
  it.each<[string, bigint, string, bigint]>([
    ['base', 0n, 'bronze', 5_000_000n],
    ['base', 4_999_999n, 'bronze', 1n],
    ['bronze', 5_000_000n, 'silver', 10_000_000n],
    ['silver', 17_500_000n, 'gold', 32_500_000n], // the §3.1 example: 175,000 → 325,000 to gold
    ['gold', 149_999_999n, 'platinum', 1n],
  ])('from %s at %s kopecks the next tier is %s, %s kopecks away', (tierId, sum, nextId, remaining) => {
    const next = nextTier(tierId, sum, TIERS);
    expect(next?.tier.id).toBe(nextId);
    expect(next?.remaining).toBe(remaining);
  });

  it('never reports a negative remainder (a group whose tier lags its sum)', () => {
    expect(nextTier('base', 6_000_000n, TIERS)).toEqual({ tier: TIERS[1], remaining: 0n });
  });

  it('has no next tier at the top', () => {
    expect(nextTier('platinum', 150_000_000n, TIERS)).toBeUndefined();
  });
});

describe('tierRank', () => {
  it('orders tiers as the program lists them and marks an unknown tier -1', () => {
    expect(TIERS.map((tier) => tierRank(tier.id, TIERS))).toEqual([0, 1, 2, 3, 4]);
    expect(tierRank('diamond', TIERS)).toBe(-1);
  });
});
