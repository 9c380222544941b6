import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../lib/domain/notices.js';
import { NO_OUTLOOK } from '../../../lib/domain/outlook.js';
import { formatPeriodForHumans } from '../../../lib/notifications/format.js';
import { composeNoticeEmail } from '../../../lib/notifications/notice-email.js';
import { composeTierEmail } from '../../../lib/notifications/tier-email.js';
import { LOCALES, loadProgramConfig } from '../../../lib/program/program-config.js';

const program = loadProgramConfig();
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

const atRisk: Notice = {
  eventId: 'G-7/2026-11-21/at-risk',
  kind: 'at-risk',
  groupId: 'G-7',
  asOf: '2026-11-21',
  tierId: 'gold',
  sum: 52_000_000n,
  qualifyingSum: 52_000_000n,
  outlook: { ...NO_OUTLOOK, holdsUntil: '2026-12-12', toKeep: 3_800_000n, downgradeOn: '2026-12-13', downgradeTo: 'silver' },
};
const nearNextTier: Notice = {
  eventId: 'G-7/2026-11-21/near-next-tier',
  kind: 'near-next-tier',
  groupId: 'G-7',
  asOf: '2026-11-21',
  tierId: 'silver',
  sum: 44_000_000n,
  qualifyingSum: 46_000_000n,
  nextTier: { id: 'gold', threshold: 50_000_000n, remaining: 4_000_000n },
};

describe('composeNoticeEmail', () => {
  it('at risk, in English: the tier, until when it holds, how much more by when, and when it drops to which tier', () => {
    const email = composeNoticeEmail(atRisk, { name: 'Acme & Sons', locale: 'en' }, program);
    const text = plainSpaces(email.text);

    expect(plainSpaces(email.subject)).toBe('Keep your Gold tier: RUB 38,000.00 more by December 13, 2026');
    expect(text).toContain('As of November 21, 2026, the purchases of Acme & Sons over the last 90 days keep the Gold tier until December 12, 2026.');
    expect(text).toContain('purchases of RUB 38,000.00 more by December 13, 2026 will keep the tier.');
    expect(text).toContain('If nothing more is bought, the tier changes to Silver on December 13, 2026.');
    expect(text).toContain('Your extra discount: 6%');
    expect(plainSpaces(email.html)).toContain('<strong>RUB 38,000.00</strong>');
    expect(email.html).toContain('Acme &amp; Sons');
  });

  it('at risk, in Russian, while already below the retain threshold: no holds-until date, what is missing by the next day', () => {
    const below: Notice = { ...atRisk, outlook: { ...atRisk.outlook, holdsUntil: null, belowRetainSince: '2026-11-19', downgradeOn: '2026-11-26' } };
    const text = plainSpaces(composeNoticeEmail(below, { name: 'ГК Ромашка', locale: 'ru' }, program).text);

    expect(text).toContain('На 21.11.2026 покупок группы компаний «ГК Ромашка» за последние 90 дней меньше, чем нужно для уровня «Золото».');
    expect(text).toContain('достаточно покупок ещё на 38 000,00 ₽ не позднее 22.11.2026.');
    expect(text).toContain('Если новых покупок не будет, с 26.11.2026 уровень группы сменится на «Серебро».');
    expect(text).not.toContain('включительно');
  });

  it('near the next tier, in Russian: the next tier, its threshold, what is missing and its discount; the qualifying sum where focus brands count', () => {
    const email = composeNoticeEmail(nearNextTier, { name: 'ГК Ромашка', locale: 'ru' }, program);
    const text = plainSpaces(email.text);

    expect(plainSpaces(email.subject)).toBe('До уровня «Золото» осталось 40 000,00 ₽');
    expect(text).toContain('до уровня «Золото» (500 000,00 ₽ покупок за 90 дней) осталось купить на 40 000,00 ₽. На этом уровне дополнительная скидка — 6 %.');
    expect(text).toContain('Ваш уровень: Серебро');
    expect(text).toContain('Сумма покупок за 90 дней: 440 000,00 ₽');
    expect(text).toContain('Засчитано для уровня (с учётом приоритетных брендов): 460 000,00 ₽');
  });

  it.each(LOCALES.flatMap((locale) => [atRisk, nearNextTier].map((notice) => [notice.kind, locale, notice] as const)))(
    '%s in %s renders in the shared layout, fully, and links nothing',
    (_, locale, notice) => {
      const email = composeNoticeEmail(notice, { name: 'ГК Ромашка', locale }, program);
      for (const part of [email.subject, email.text, email.html]) {
        expect(part).not.toContain('{{');
        expect(part).not.toMatch(/https?:|<a\s|www\./);
      }
      expect(email.html).toMatch(new RegExp(`^<!DOCTYPE html>\\n<html lang="${locale}">`));
      expect(email.html).toContain(`<title>${email.subject}</title>`);
    },
  );
});

describe('the shared layout', () => {
  it('is one HTML file and its plain-text twin; every email kind has only its body per language', () => {
    const files = readdirSync(new URL('../../../lib/notifications/templates/', import.meta.url)).filter((file) => file !== 'README.md').sort();
    const kinds = ['at-risk', 'near-next-tier', 'tier-down', 'tier-up'];
    const expected = ['layout.html', 'layout.txt', ...kinds.flatMap((kind) => LOCALES.flatMap((locale) => ['html', 'subject.txt', 'txt'].map((part) => `${kind}.${locale}.${part}`)))].sort();
    expect(files).toEqual(expected);
  });

  it('wraps tier emails too: greeting, body, tier card and sign-off in the reader’s language', () => {
    const change = { eventId: 'G-7/2026-11-21/1', groupId: 'G-7', asOf: '2026-11-21', from: 'silver', to: 'gold', direction: 'up', sum: 52_000_000n, qualifyingSum: 52_000_000n, reason: 'sum', seq: 1 } as const;
    const { text, html } = composeTierEmail(change, { name: 'Acme', locale: 'en' }, program);
    expect(text.indexOf('Hello,')).toBe(0);
    expect(text.indexOf('has moved up to the Gold tier')).toBeLessThan(text.indexOf('Your tier: Gold'));
    expect(text.trimEnd().endsWith('Kind regards,\nWholesale team')).toBe(true);
    expect(html).toContain('<p>Kind regards,<br>Wholesale team</p>');
    expect(html).not.toContain('Здравствуйте');
  });
});

describe('formatPeriodForHumans', () => {
  it.each([
    [90, 'ru', '90 дней'],
    [31, 'ru', '31 день'],
    [22, 'ru', '22 дня'],
    [90, 'en', '90 days'],
    [1, 'en', '1 day'],
  ] as const)('%s days for %s readers: %s', (days, locale, expected) => {
    expect(formatPeriodForHumans(days, locale)).toBe(expected);
  });
});
