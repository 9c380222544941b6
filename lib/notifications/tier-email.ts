import type { TierChange } from '../domain/group-evaluation.js';
import { nextTier } from '../domain/tiers.js';
import { layoutValues, readerFormats, renderEmail, tierNamed, type Email, type EmailProgram, type EmailReader } from './email.js';
import type { TemplateValues } from './template.js';

/**
 * Everything a tier email may say, as template values in the reader's locale: the layout's tier card for
 * the new tier, how much more buys the next tier (none at the top), and, for a move down, how much brings
 * the previous tier back (both measured on the qualifying sum, which decides tiers). Every name is always
 * present, so a template typo fails in the tests.
 */
export function tierEmailValues(change: TierChange, reader: EmailReader, program: EmailProgram): TemplateValues {
  const { locale } = reader;
  const tier = tierNamed(program, change.to, change.eventId);
  const previous = program.tiers.find((candidate) => candidate.id === change.from);
  const next = nextTier(tier.id, change.qualifyingSum, program.tiers);
  const { money } = readerFormats(reader, program);
  const previousRemaining = previous && previous.threshold > change.qualifyingSum ? previous.threshold - change.qualifyingSum : 0n;
  return {
    ...layoutValues(reader, program, { tier, sum: change.sum, qualifyingSum: change.qualifyingSum, asOf: change.asOf }),
    hasNextTier: next !== undefined,
    nextTierName: next?.tier.name[locale] ?? '',
    nextTierRemaining: next ? money(next.remaining) : '',
    hasPreviousTier: previous !== undefined,
    previousTierName: previous?.name[locale] ?? '',
    previousTierRemaining: money(previousRemaining),
  };
}

/** Renders the tier-up or tier-down email in the reader's locale from the editable template files. */
export function composeTierEmail(change: TierChange, reader: EmailReader, program: EmailProgram): Email {
  return renderEmail(`tier-${change.direction}`, reader.locale, tierEmailValues(change, reader, program));
}
