import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../lib/domain/business-date.js';
import { scoreAndRank, type DormantShardRow } from '../../../../lib/jobs/dormant-report/kind.js';

const D = '2026-11-30';
const row = (groupId: string, orders365: number, sum365: bigint, daysAgo: number | null): DormantShardRow => ({
  groupId,
  name: groupId,
  contacts: [],
  lastOrderDate: daysAgo === null ? null : addDays(D, -daysAgo),
  orders365,
  sum365: String(sum365),
  sum90: '0',
  toLowestPaidTier: '5000000',
});

describe('scoreAndRank: RFM quintiles among the groups that ordered, then the ranking (§4.6)', () => {
  // Ten buyers: B1 is the most recent, most frequent and largest; B10 the least of each.
  const buyers = Array.from({ length: 10 }, (_, i) => row(`B${i + 1}`, 10 - i, BigInt(1_000_000 * (10 - i)), (i + 1) * 10));
  const ranked = scoreAndRank([row('N1', 0, 0n, null), ...buyers, row('N2', 0, 0n, null)], D);

  it('gives each fifth of the buyers its score: boundaries at 2, 4, 6 and 8 buyers worse', () => {
    const scores = Object.fromEntries(ranked.map(({ groupId, r, f, m }) => [groupId, [r, f, m]]));
    expect(scores).toMatchObject({
      B1: [5, 5, 5],
      B2: [5, 5, 5],
      B3: [4, 4, 4],
      B4: [4, 4, 4],
      B5: [3, 3, 3],
      B6: [3, 3, 3],
      B7: [2, 2, 2],
      B8: [2, 2, 2],
      B9: [1, 1, 1],
      B10: [1, 1, 1],
    });
  });

  it('names the segments by R and F, and puts groups without an order in `lost` with 1, 1, 1 and null dates', () => {
    const segments = Object.fromEntries(ranked.map(({ groupId, segment }) => [groupId, segment]));
    expect(segments).toEqual({
      B1: 'champions',
      B2: 'champions',
      B3: 'loyal',
      B4: 'loyal',
      B5: 'need-attention',
      B6: 'need-attention',
      B7: 'hibernating',
      B8: 'hibernating',
      B9: 'hibernating',
      B10: 'hibernating',
      N1: 'lost',
      N2: 'lost',
    });
    expect(ranked.find((candidate) => candidate.groupId === 'N1')).toEqual({
      groupId: 'N1',
      name: 'N1',
      contacts: [],
      lastOrderDate: null,
      daysSinceLastOrder: null,
      orders365: 0,
      sum365: '0.00',
      sum90d: '0.00',
      toLowestPaidTier: '50000.00',
      r: 1,
      f: 1,
      m: 1,
      segment: 'lost',
    });
  });

  it('ranks by the 365-day sum, largest first, then the most recent order, then the group id', () => {
    const tie = scoreAndRank([row('X-old', 1, 500n, 200), row('X-new', 1, 500n, 3), row('A-none', 0, 0n, null), row('Z-big', 2, 900n, 300)], D);
    expect(tie.map(({ groupId, daysSinceLastOrder }) => [groupId, daysSinceLastOrder])).toEqual([
      ['Z-big', 300],
      ['X-new', 3],
      ['X-old', 200],
      ['A-none', null],
    ]);
    expect(ranked.map((candidate) => candidate.groupId)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9', 'B10', 'N1', 'N2']);
  });
});
