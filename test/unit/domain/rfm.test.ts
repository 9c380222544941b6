import { describe, expect, it } from 'vitest';
import { quintileScores, rfmSegment, type RfmScore } from '../../../lib/domain/rfm.js';

const ascending = (a: number, b: number) => a - b;

describe('quintileScores: 1 + ⌊5 × share of values strictly worse⌋', () => {
  it('scores ten distinct values two per quintile, each boundary where 20%, 40%, 60%, 80% are worse', () => {
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], ascending)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('puts a value with exactly 20% worse in quintile 2 and one with just under in quintile 1 (n = 5, 6)', () => {
    expect(quintileScores([10, 20, 30, 40, 50], ascending)).toEqual([1, 2, 3, 4, 5]);
    // 6 values: 1/6 worse is 16.7% → 1; 2/6 = 33% → 2; 3/6 = 50% → 3; 4/6 = 66.7% → 4; 5/6 = 83% → 5
    expect(quintileScores([1, 2, 3, 4, 5, 6], ascending)).toEqual([1, 1, 2, 3, 4, 5]);
  });

  it('gives equal values the same score, the one of their lowest position', () => {
    expect(quintileScores([5, 5, 5, 5, 9, 1, 1, 7, 7, 7], ascending)).toEqual([2, 2, 2, 2, 5, 1, 1, 4, 4, 4]);
    expect(quintileScores([3, 3, 3], ascending)).toEqual([1, 1, 1]);
  });

  it('keeps the input order and handles a single value and none', () => {
    expect(quintileScores([30, 10, 20], ascending)).toEqual([4, 1, 2]);
    expect(quintileScores([42], ascending)).toEqual([1]);
    expect(quintileScores([], ascending)).toEqual([]);
  });
});

describe('rfmSegment: the R × F grid', () => {
  const grid: [RfmScore, RfmScore, string][] = [
    [5, 5, 'champions'],
    [5, 4, 'champions'],
    [4, 5, 'loyal'],
    [3, 4, 'loyal'],
    [3, 5, 'loyal'],
    [5, 2, 'potential-loyalists'],
    [4, 3, 'potential-loyalists'],
    [5, 1, 'new'],
    [4, 1, 'promising'],
    [3, 3, 'need-attention'],
    [3, 2, 'about-to-sleep'],
    [3, 1, 'about-to-sleep'],
    [2, 3, 'at-risk'],
    [1, 4, 'at-risk'],
    [2, 5, 'cannot-lose'],
    [1, 5, 'cannot-lose'],
    [2, 2, 'hibernating'],
    [1, 1, 'hibernating'],
  ];
  it.each(grid)('r %s, f %s is %s', (r, f, segment) => {
    expect(rfmSegment(r, f)).toBe(segment);
  });

  it('names every one of the 25 cells', () => {
    const scores = [1, 2, 3, 4, 5] as RfmScore[];
    expect(new Set(scores.flatMap((r) => scores.map((f) => rfmSegment(r, f)))).size).toBe(10);
  });
});
