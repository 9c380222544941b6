import { afterEach, describe, expect, it, vi } from 'vitest';
import { AsOfDate } from '../../../lib/http/as-of.js';

afterEach(() => vi.useRealTimers());

/** The as-of date an operator gives (runs, simulations, reports): not after today in the program time zone (Moscow). */
describe('AsOfDate', () => {
  it.each([
    // [now (UTC), date, accepted]
    ['2026-12-01T20:59:59Z', '2026-12-01', true], // 23:59:59 in Moscow: today
    ['2026-12-01T20:59:59Z', '2026-12-02', false], // tomorrow in Moscow
    ['2026-12-01T21:00:00Z', '2026-12-02', true], // 00:00 on Dec 2 in Moscow, still Dec 1 in UTC
    ['2026-12-01T21:00:00Z', '2026-12-03', false],
    ['2026-12-01T12:00:00Z', '2099-01-01', false],
    ['2026-12-01T12:00:00Z', '2019-06-30', true], // long before any order: a backfill
  ])('at %s, %s is accepted: %s', (now, date, accepted) => {
    vi.useFakeTimers({ now: new Date(now), toFake: ['Date'] });
    const result = AsOfDate.safeParse(date);
    expect(result.success).toBe(accepted);
    const today = now >= '2026-12-01T21:00:00Z' ? '2026-12-02' : '2026-12-01';
    if (!accepted) expect(result.error!.issues[0]!.message).toBe(`must not be after today (${today} in Europe/Moscow)`);
  });

  it('refuses what is not a calendar date, with one issue', () => {
    for (const text of ['2026-02-30', '2026-12-1', 'tomorrow', '']) {
      const result = AsOfDate.safeParse(text);
      expect(result.error!.issues.map((issue) => issue.message)).toEqual(['must be a business date YYYY-MM-DD']);
    }
  });

});
