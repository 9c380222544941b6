import { readFileSync } from 'node:fs';
import type { MinorUnits } from '../domain/money.js';
import type { Locale, ProgramConfig, Tier } from '../program/program-config.js';
import { formatDateForHumans, formatMoneyForHumans, formatPercentForHumans, formatPeriodForHumans } from './format.js';
import { RenderedHtml, renderTemplate, type TemplateValues } from './template.js';

/** A rendered notification, ready for SES. */
export interface Email {
  subject: string;
  html: string;
  text: string;
}

/** Who the email is for: the group's name and the language it reads. */
export interface EmailReader {
  name: string;
  locale: Locale;
}

/** Every kind of email the program sends; each has its subject, text and HTML body per language. */
export type EmailKind = 'tier-up' | 'tier-down' | 'at-risk' | 'near-next-tier';

/** What every email needs of the program: its tiers, currency and window. */
export type EmailProgram = Pick<ProgramConfig, 'tiers' | 'currency' | 'windowDays'>;

/** Raised when an event names a tier the program does not have: there is nothing true to write about it. */
export class UnknownTierError extends Error {
  override name = 'UnknownTierError';
}

const templates = new Map<string, string>();

/**
 * Reads a file of `templates/` once per process: `layout.html`, `layout.txt`, and
 * `<kind>.<locale>.<subject.txt|txt|html>`. The folder sits next to this module; a Lambda bundle must ship
 * it next to its entry file.
 */
function loadTemplate(file: string): string {
  let text = templates.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(`./templates/${file}`, import.meta.url), 'utf8');
    templates.set(file, text);
  }
  return text;
}

/** A tier of the program by id, or UnknownTierError naming the event that needs it. */
export function tierNamed(program: EmailProgram, tierId: string, eventId: string): Tier {
  const tier = program.tiers.find((candidate) => candidate.id === tierId);
  if (!tier) throw new UnknownTierError(`Event ${eventId} names tier "${tierId}", which the program does not have`);
  return tier;
}

/** How an email formats money and dates for its reader. */
export function readerFormats(reader: EmailReader, program: EmailProgram) {
  return {
    money: (minor: MinorUnits) => formatMoneyForHumans(minor, reader.locale, program.currency),
    date: (date: string) => formatDateForHumans(date, reader.locale),
  };
}

/**
 * The values the shared layout shows in every email, in the reader's language: the greeting and sign-off
 * language, and the tier card (tier, discount, the window's sum, the qualifying sum where focus brands
 * made it differ, the tier's benefits).
 */
export function layoutValues(reader: EmailReader, program: EmailProgram, card: { tier: Tier; sum: MinorUnits; qualifyingSum: MinorUnits; asOf: string }): TemplateValues {
  const { locale } = reader;
  const { money, date } = readerFormats(reader, program);
  return {
    language: locale,
    ru: locale === 'ru',
    en: locale === 'en',
    groupName: reader.name,
    asOf: date(card.asOf),
    period: formatPeriodForHumans(program.windowDays, locale),
    tierName: card.tier.name[locale],
    discountPercent: formatPercentForHumans(card.tier.discountPercent, locale),
    sum90d: money(card.sum),
    focusBrandsCounted: card.qualifyingSum !== card.sum,
    qualifyingSum90d: money(card.qualifyingSum),
    hasBenefits: card.tier.benefits[locale].length > 0,
    benefits: card.tier.benefits[locale],
  };
}

/**
 * Renders an email of a kind in the reader's language from the editable template files: the subject on
 * one line, and the text and HTML bodies each placed into the shared layout at `{{content}}`.
 */
export function renderEmail(kind: EmailKind, locale: Locale, values: TemplateValues): Email {
  const file = (part: string) => loadTemplate(`${kind}.${locale}.${part}`);
  const subject = renderTemplate(file('subject.txt'), values, 'text').replace(/\s+/g, ' ').trim();
  const html = renderTemplate(loadTemplate('layout.html'), { ...values, subject, content: new RenderedHtml(renderTemplate(file('html'), values, 'html').trimEnd()) }, 'html');
  const text = renderTemplate(loadTemplate('layout.txt'), { ...values, subject, content: renderTemplate(file('txt'), values, 'text').trim() }, 'text');
  return { subject, html, text };
}
