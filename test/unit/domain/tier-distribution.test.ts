import { describe, expect, it } from 'vitest';
import { mergeDistributions, orderedDistribution, tallyGroup, type TierDistribution } from '../../../lib/domain/tier-distribution.js';

describe('tier distribution', () => {
  it('counts each group into its tier with its sum', () => {
    const distribution: TierDistribution = {};
    tallyGroup(distribution, 'bronze', 6_000_000n);
    tallyGroup(distribution, 'bronze', 5_000_000n);
    tallyGroup(distribution, 'base', 100n);
    expect(distribution).toEqual({ bronze: { groups: 2, sum: 11_000_000n }, base: { groups: 1, sum: 100n } });
  });

  it('merges the shards of a run, adding groups and sums per tier', () => {
    expect(
      mergeDistributions([{ bronze: { groups: 2, sum: 10n } }, {}, { bronze: { groups: 1, sum: 5n }, gold: { groups: 1, sum: 50_000_000n } }]),
    ).toEqual({ bronze: { groups: 3, sum: 15n }, gold: { groups: 1, sum: 50_000_000n } });
    expect(mergeDistributions([])).toEqual({});
  });

  it('lists every program tier in order, empty ones as zero, then tiers the program no longer has', () => {
    const ordered = orderedDistribution({ gold: { groups: 1, sum: 9n }, diamond: { groups: 2, sum: 7n }, base: { groups: 3, sum: 1n } }, ['base', 'bronze', 'gold']);
    expect(ordered).toEqual([
      { tierId: 'base', tally: { groups: 3, sum: 1n } },
      { tierId: 'bronze', tally: { groups: 0, sum: 0n } },
      { tierId: 'gold', tally: { groups: 1, sum: 9n } },
      { tierId: 'diamond', tally: { groups: 2, sum: 7n } },
    ]);
  });
});
