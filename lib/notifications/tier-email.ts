import { readFileSync } from 'node:fs';
import type { TierChange } from '../domain/group-evaluation.js';
import type { MinorUnits } from '../domain/money.js';
import { nextTier } from '../domain/tiers.js';
import type { Locale, ProgramConfig } from '../program/program-config.js';
import { formatDateForHumans, formatMoneyForHumans, formatPercentForHumans } from './format.js';
import { renderTemplate, type TemplateValues } from './template.js';

/** A rendered notification, ready for SES. */
export interface TierEmail {
  subject: string;
  html: string;
  text: string;
}

/** Who the email is for: the group's name and the language it reads. */
export interface EmailReader {
  name: string;
  locale: Locale;
}

type Program = Pick<ProgramConfig, 'tiers' | 'currency'>;
type TemplatePart = 'subject.txt' | 'txt' | 'html';

/** Raised when a change names a tier the program does not have: there is nothing true to write about it. */
export class UnknownTierError extends Error {
  override name = 'UnknownTierError';
}

const templates = new Map<string, string>();

/**
 * Reads `templates/<tier-up|tier-down>.<locale>.<subject.txt|txt|html>` once per process. The folder sits next
 * to this module; a Lambda bundle must ship it next to its entry file.
 */
function loadTemplate(direction: TierChange['direction'], locale: Locale, part: TemplatePart): string {
  const file = `tier-${direction}.${locale}.${part}`;
  let text = templates.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(`./templates/${file}`, import.meta.url), 'utf8');
    templates.set(file, text);
  }
  return text;
}

/**
 * Everything a tier email may say, as template values in the reader's locale: the new tier, its discount and
 * benefits, the 90-day sum, how much more buys the next tier (none at the top), and, for a move down, how
 * much brings the previous tier back (both measured on the qualifying sum, which decides tiers). Every
 * name is always present, so a template typo fails in the tests.
 */
export function tierEmailValues(change: TierChange, reader: EmailReader, program: Program): TemplateValues {
  const { locale } = reader;
  const tier = program.tiers.find((candidate) => candidate.id === change.to);
  if (!tier) throw new UnknownTierError(`Tier change ${change.eventId} moves to tier "${change.to}", which the program does not have`);
  const previous = program.tiers.find((candidate) => candidate.id === change.from);
  const next = nextTier(tier.id, change.qualifyingSum, program.tiers);
  const money = (minor: MinorUnits) => formatMoneyForHumans(minor, locale, program.currency);
  const previousRemaining = previous && previous.threshold > change.qualifyingSum ? previous.threshold - change.qualifyingSum : 0n;
  return {
    groupName: reader.name,
    asOf: formatDateForHumans(change.asOf, locale),
    tierName: tier.name[locale],
    discountPercent: formatPercentForHumans(tier.discountPercent, locale),
    hasBenefits: tier.benefits[locale].length > 0,
    benefits: tier.benefits[locale],
    sum90d: money(change.sum),
    hasNextTier: next !== undefined,
    nextTierName: next?.tier.name[locale] ?? '',
    nextTierRemaining: next ? money(next.remaining) : '',
    hasPreviousTier: previous !== undefined,
    previousTierName: previous?.name[locale] ?? '',
    previousTierRemaining: money(previousRemaining),
  };
}

/** Renders the tier-up or tier-down email in the reader's locale from the editable template files. */
export function composeTierEmail(change: TierChange, reader: EmailReader, program: Program): TierEmail {
  const values = tierEmailValues(change, reader, program);
  const part = (name: TemplatePart, format: 'html' | 'text') => renderTemplate(loadTemplate(change.direction, reader.locale, name), values, format);
  return {
    subject: part('subject.txt', 'text').replace(/\s+/g, ' ').trim(),
    html: part('html', 'html'),
    text: part('txt', 'text'),
  };
}
