import { describe, expect, it } from 'vitest';
import type { TierChange } from '../../../lib/domain/group-evaluation.js';
import { formatMoneyForHumans } from '../../../lib/notifications/format.js';
import { UnknownTierError } from '../../../lib/notifications/email.js';
import { composeTierEmail, tierEmailValues } from '../../../lib/notifications/tier-email.js';
import { LOCALES, loadProgramConfig } from '../../../lib/program/program-config.js';

const program = loadProgramConfig();
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

function change(from: string, to: string, sum: bigint): TierChange {
  const direction = program.tiers.findIndex((tier) => tier.id === to) > program.tiers.findIndex((tier) => tier.id === from) ? 'up' : 'down';
  return { eventId: `G-7/2026-11-21/1`, groupId: 'G-7', asOf: '2026-11-21', from, to, direction, sum, qualifyingSum: sum, reason: 'sum', seq: 1 };
}

const moves = program.tiers.flatMap((from) => program.tiers.filter((to) => to.id !== from.id).map((to) => [from.id, to.id, to.threshold] as const));

describe('composeTierEmail', () => {
  it.each(LOCALES.flatMap((locale) => moves.map(([from, to, sum]) => [locale, from, to, sum] as const)))(
    'renders every template for %s, %s → %s, with the new tier named in a one-line subject',
    (locale, from, to, sum) => {
      const email = composeTierEmail(change(from, to, sum), { name: 'ГК Ромашка', locale }, program);
      const tierName = program.tiers.find((tier) => tier.id === to)!.name[locale];

      expect(email.subject).toContain(tierName);
      expect(email.subject).not.toMatch(/\n/);
      expect(email.text).toContain(tierName);
      expect(email.html).toContain(tierName);
      expect(email.html).toMatch(/^<!DOCTYPE html>/);
    },
  );

  it('a move up to the top tier says it is the top tier instead of naming a next one', () => {
    const email = composeTierEmail(change('gold', 'platinum', 160_000_000n), { name: 'Acme', locale: 'en' }, program);

    expect(email.text).toContain('This is the top tier of the program.');
    expect(email.text).not.toContain('will take you to');
    expect(email.text).toContain('  - Personal manager\n');
  });

  it('a move down to the base tier has no benefits list and says how much brings the previous tier back', () => {
    const email = composeTierEmail(change('bronze', 'base', 4_000_000n), { name: 'ГК Ромашка', locale: 'ru' }, program);
    const text = plainSpaces(email.text);

    expect(text).not.toContain('Преимущества уровня');
    expect(text).toContain('Ваша дополнительная скидка: 0 %');
    expect(text).toContain('Чтобы вернуть уровень «Бронза», достаточно покупок ещё на 10 000,00 ₽ за 90 дней.');
    expect(email.html).not.toContain('<ul>');
  });

  it('refuses a change to a tier the program does not have', () => {
    expect(() => tierEmailValues(change('base', 'diamond', 1n), { name: 'Acme', locale: 'en' }, program)).toThrow(UnknownTierError);
  });
});

describe('formatMoneyForHumans', () => {
  it.each([
    [17_500_000n, 'ru', '175 000,00 ₽'],
    [17_500_000n, 'en', 'RUB 175,000.00'],
    [1n, 'ru', '0,01 ₽'],
    [99_999_999_999_999_999n, 'en', 'RUB 999,999,999,999,999.99'],
  ] as const)('formats %s kopecks for %s readers as %s, exact to the kopeck', (minor, locale, expected) => {
    expect(plainSpaces(formatMoneyForHumans(minor, locale, 'RUB'))).toBe(expected);
  });
});
