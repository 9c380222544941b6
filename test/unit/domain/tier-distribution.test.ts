import { describe, expect, it } from 'vitest';
import { countGroup, distributionFromRecord, distributionToRecord, mergeDistributions, type TierDistribution } from '../../../lib/domain/tier-distribution.js';

describe('tier distribution', () => {
  it('counts groups, sums and the discount cost half-up per group, not on the tier total', () => {
    const distribution: TierDistribution = new Map();
    countGroup(distribution, 'bronze', 1225n, 2); // 24.5 → 25
    countGroup(distribution, 'bronze', 1225n, 2); // 24.5 → 25 again: 50, where 2% of the 2450 total would be 49
    countGroup(distribution, 'base', 0n, 0);
    expect(distribution.get('bronze')).toEqual({ groups: 2, sum: 2450n, discountCost: 50n });
    expect(distribution.get('base')).toEqual({ groups: 1, sum: 0n, discountCost: 0n });
  });

  it('merges the shards of a run tier by tier, keeping tiers only one shard has', () => {
    const first: TierDistribution = new Map([['gold', { groups: 1, sum: 50_000_000n, discountCost: 3_000_000n }]]);
    const second: TierDistribution = new Map([
      ['gold', { groups: 2, sum: 120_000_000n, discountCost: 7_200_000n }],
      ['base', { groups: 5, sum: 1_000n, discountCost: 0n }],
    ]);
    const merged = mergeDistributions([first, second]);
    expect(merged.get('gold')).toEqual({ groups: 3, sum: 170_000_000n, discountCost: 10_200_000n });
    expect(merged.get('base')).toEqual({ groups: 5, sum: 1_000n, discountCost: 0n });
    expect(first.get('gold')!.groups).toBe(1); // the parts are left as they were
  });

  it('round-trips through its stored form with money beyond 2^53 intact', () => {
    const distribution: TierDistribution = new Map([['platinum', { groups: 7, sum: 9_007_199_254_740_993n, discountCost: 720_575_940_379_279n }]]);
    const stored = JSON.parse(JSON.stringify(distributionToRecord(distribution)));
    expect(distributionFromRecord(stored)).toEqual(distribution);
  });
});
