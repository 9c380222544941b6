import { describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/domain/business-date.js';
import type { MinorUnits } from '../../../lib/domain/money.js';
import { dueNotices, noticeFor, type NoticeInput, type NoticeKind, type NoticeSettings } from '../../../lib/domain/notices.js';
import { NO_OUTLOOK } from '../../../lib/domain/outlook.js';

const rub = (roubles: number): MinorUnits => BigInt(roubles) * 100n;
const D = '2026-11-21';
const day = (n: number) => addDays(D, n);
const TIERS = [
  { id: 'base', threshold: 0n },
  { id: 'bronze', threshold: rub(50_000) },
  { id: 'silver', threshold: rub(150_000) },
  { id: 'gold', threshold: rub(500_000) },
];
const DEFAULTS: NoticeSettings = { enabled: true, atRiskDays: 14, nearNextTierPercent: 10, cooldownDays: 30 };

/** A silver group comfortably in its tier and far from gold, as the starting point of each case. */
const input = (change: Partial<NoticeInput> = {}): NoticeInput => ({
  settings: DEFAULTS,
  tiers: TIERS,
  tierId: 'silver',
  qualifyingSum: rub(200_000),
  countdownFrom: day(40),
  noticedOn: {},
  changedTier: false,
  asOf: D,
  ...change,
});

describe('dueNotices', () => {
  it.each<[string, Partial<NoticeInput>, NoticeKind[]]>([
    ['a group that holds its tier for long and is far from the next one gets nothing', {}, []],
    ['at risk: holdsUntil exactly atRiskDays after D (the countdown starts the day after)', { countdownFrom: day(15) }, ['at-risk']],
    ['not yet at risk one day later', { countdownFrom: day(16) }, []],
    ['at risk while already counting down', { countdownFrom: day(-3) }, ['at-risk']],
    ['the base tier is never at risk', { tierId: 'base', qualifyingSum: 0n, countdownFrom: null }, []],
    ['near the next tier: exactly 10% of its threshold missing', { qualifyingSum: rub(450_000) }, ['near-next-tier']],
    ['not near with a kopeck more missing', { qualifyingSum: rub(450_000) - 1n }, []],
    ['the base tier can be near bronze', { tierId: 'base', qualifyingSum: rub(46_000), countdownFrom: null }, ['near-next-tier']],
    ['the top tier has no next tier', { tierId: 'gold', qualifyingSum: rub(499_999) }, []],
    ['both at once', { qualifyingSum: rub(460_000), countdownFrom: day(2) }, ['at-risk', 'near-next-tier']],
    ['a decimal percentage compares exactly: 0.5% of 500,000 is 2,500', { settings: { ...DEFAULTS, nearNextTierPercent: 0.5 }, qualifyingSum: rub(497_500) }, ['near-next-tier']],
    ['0.5%: 2,500.01 missing is not near', { settings: { ...DEFAULTS, nearNextTierPercent: 0.5 }, qualifyingSum: rub(497_500) - 1n }, []],
    ['atRiskDays 0: at risk only when the sum holds through D alone', { settings: { ...DEFAULTS, atRiskDays: 0 }, countdownFrom: day(1) }, ['at-risk']],
    ['cool-down: a notice of the kind 29 days ago blocks it', { countdownFrom: day(3), noticedOn: { 'at-risk': day(-29) } }, []],
    ['cool-down: 30 days after the last one it is due again', { countdownFrom: day(3), noticedOn: { 'at-risk': day(-30) } }, ['at-risk']],
    ['cool-down is per kind', { qualifyingSum: rub(460_000), countdownFrom: day(3), noticedOn: { 'at-risk': day(-1) } }, ['near-next-tier']],
    ['a rerun of the same date sends nothing again', { countdownFrom: day(3), noticedOn: { 'at-risk': D } }, []],
    ['a group that changed tier tonight gets its tier email instead', { countdownFrom: day(3), changedTier: true }, []],
    ['notices switched off', { settings: { ...DEFAULTS, enabled: false }, countdownFrom: day(3), qualifyingSum: rub(460_000) }, []],
  ])('%s', (_, change, expected) => {
    expect(dueNotices(input(change))).toEqual(expected);
  });
});

describe('noticeFor', () => {
  const group = { groupId: 'G-7', tierId: 'silver', sum: rub(440_000), qualifyingSum: rub(460_000), outlook: { ...NO_OUTLOOK, holdsUntil: day(3), toKeep: rub(5_000), downgradeOn: day(4), downgradeTo: 'bronze' } };

  it('an at-risk notice carries the outlook; its eventId is groupId/asOf/kind, stable across reruns', () => {
    expect(noticeFor('at-risk', group, TIERS, D)).toEqual({
      eventId: 'G-7/2026-11-21/at-risk',
      kind: 'at-risk',
      groupId: 'G-7',
      asOf: D,
      tierId: 'silver',
      sum: rub(440_000),
      qualifyingSum: rub(460_000),
      outlook: group.outlook,
    });
  });

  it('a near-next-tier notice carries the next tier, its threshold and what is missing on the qualifying sum', () => {
    expect(noticeFor('near-next-tier', group, TIERS, D)).toMatchObject({
      eventId: 'G-7/2026-11-21/near-next-tier',
      nextTier: { id: 'gold', threshold: rub(500_000), remaining: rub(40_000) },
    });
  });
});
