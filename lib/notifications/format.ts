import { formatMinor, type MinorUnits } from '../domain/money.js';
import type { Locale } from '../program/program-config.js';

const LANGUAGE_TAGS: Record<Locale, string> = { ru: 'ru-RU', en: 'en-US' };

/**
 * Money for people, in the reader's locale ("175 000,00 ₽", "RUB 175,000.00"). The exact decimal string
 * goes to Intl, never a float, so any amount the program allows prints to the kopeck.
 */
export function formatMoneyForHumans(minor: MinorUnits, locale: Locale, currency: string): string {
  const format = new Intl.NumberFormat(LANGUAGE_TAGS[locale], { style: 'currency', currency });
  return format.format(formatMinor(minor) as `${number}`);
}

/** A discount percentage in the reader's locale ("2,5" in Russian, "2.5" in English), without the sign. */
export function formatPercentForHumans(percent: number, locale: Locale): string {
  return new Intl.NumberFormat(LANGUAGE_TAGS[locale], { maximumFractionDigits: 2 }).format(percent);
}

/** A business date (YYYY-MM-DD) for people: "21.11.2026" in Russian, "November 21, 2026" in English. */
export function formatDateForHumans(date: string, locale: Locale): string {
  const format = new Intl.DateTimeFormat(LANGUAGE_TAGS[locale], { dateStyle: locale === 'ru' ? 'short' : 'long', timeZone: 'UTC' });
  return format.format(new Date(`${date}T00:00:00Z`));
}

const DAY_WORDS: Record<Locale, Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }> = {
  ru: { one: 'день', few: 'дня', many: 'дней', other: 'дня' },
  en: { one: 'day', other: 'days' },
};

/** The qualifying window for people, with the plural the number takes: "90 дней", "31 день", "90 days". */
export function formatPeriodForHumans(days: number, locale: Locale): string {
  const words = DAY_WORDS[locale];
  return `${days} ${words[new Intl.PluralRules(LANGUAGE_TAGS[locale]).select(days)] ?? words.other}`;
}
