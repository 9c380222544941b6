/** A 1–5 RFM score: 5 is the best fifth (most recent, most frequent, largest sum). */
export type RfmScore = 1 | 2 | 3 | 4 | 5;

/**
 * Quintile scores of values (§4.6): each value scores 1 + ⌊5 × (share of values strictly worse than it)⌋,
 * at most 5, so the worst fifth scores 1 and the best fifth 5, and equal values always share a score.
 * `compare` orders from worse to better (negative when `a` is worse than `b`).
 */
export function quintileScores<T>(values: readonly T[], compare: (a: T, b: T) => number): RfmScore[] {
  const order = values.map((_, index) => index).sort((a, b) => compare(values[a]!, values[b]!));
  const scores = new Array<RfmScore>(values.length);
  let worse = 0;
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    if (position > 0 && compare(values[order[position - 1]!]!, values[index]!) !== 0) worse = position;
    scores[index] = Math.min(5, 1 + Math.floor((5 * worse) / values.length)) as RfmScore;
  }
  return scores;
}

/** The named RFM segments, by recency and frequency score; `lost` has no counted order in the 365 days. */
export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential-loyalists',
  'new',
  'promising',
  'need-attention',
  'about-to-sleep',
  'at-risk',
  'cannot-lose',
  'hibernating',
  'lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * The segment of a recency and a frequency score (the common RFM grid; the README shows it):
 *
 * | r \ f | 1              | 2                   | 3                   | 4         | 5           |
 * |-------|----------------|---------------------|---------------------|-----------|-------------|
 * | 5     | new            | potential-loyalists | potential-loyalists | champions | champions   |
 * | 4     | promising      | potential-loyalists | potential-loyalists | loyal     | loyal       |
 * | 3     | about-to-sleep | about-to-sleep      | need-attention      | loyal     | loyal       |
 * | 1–2   | hibernating    | hibernating         | at-risk             | at-risk   | cannot-lose |
 */
export function rfmSegment(r: RfmScore, f: RfmScore): Exclude<RfmSegment, 'lost'> {
  if (r <= 2) return f <= 2 ? 'hibernating' : f <= 4 ? 'at-risk' : 'cannot-lose';
  if (r === 3) return f <= 2 ? 'about-to-sleep' : f === 3 ? 'need-attention' : 'loyal';
  if (f === 1) return r === 4 ? 'promising' : 'new';
  if (f <= 3) return 'potential-loyalists';
  return r === 5 ? 'champions' : 'loyal';
}
