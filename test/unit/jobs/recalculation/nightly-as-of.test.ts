import { describe, expect, it } from 'vitest';
import { nightlyAsOf } from '../../../../lib/jobs/recalculation/runs.js';

describe('nightly as-of date', () => {
  it.each([
    ['2026-11-21T22:00:00Z', '2026-11-21'], // 01:00 Moscow on Nov 22 → D = Nov 21
    ['2026-11-21T20:59:59Z', '2026-11-20'], // 23:59:59 Moscow on Nov 21 → D = Nov 20
    ['2026-03-01T00:30:00Z', '2026-02-28'], // across a month end
    ['2027-01-01T01:00:00Z', '2026-12-31'], // across a year end
  ])('a run fired at %s computes D = %s', (now, asOf) => {
    expect(nightlyAsOf(new Date(now))).toBe(asOf);
  });
});
