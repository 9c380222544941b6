import { addDays } from '../domain/business-date.js';
import type { Notice } from '../domain/notices.js';
import { formatPercentForHumans } from './format.js';
import { layoutValues, readerFormats, renderEmail, tierNamed, type Email, type EmailProgram, type EmailReader } from './email.js';
import type { TemplateValues } from './template.js';

/**
 * Everything a notice may say, as template values in the reader's locale, beside the layout's tier card of
 * the group's tier. At risk: until when its purchases keep the tier (or that they no longer do), how much
 * more keeps it and by when, and when and to which tier it moves if nothing more is bought. Near the next
 * tier: which tier, its threshold, how much more, and its discount. Every name is always present.
 */
export function noticeEmailValues(notice: Notice, reader: EmailReader, program: EmailProgram): TemplateValues {
  const { locale } = reader;
  const { money, date } = readerFormats(reader, program);
  const tier = tierNamed(program, notice.tierId, notice.eventId);
  const card = layoutValues(reader, program, { tier, sum: notice.sum, qualifyingSum: notice.qualifyingSum, asOf: notice.asOf });
  if (notice.kind === 'at-risk') {
    const { holdsUntil, toKeep, downgradeOn, downgradeTo } = notice.outlook;
    if (toKeep === null || downgradeOn === null || downgradeTo === null) throw new Error(`At-risk notice ${notice.eventId} has no outlook to tell`);
    return {
      ...card,
      holdsByPurchases: holdsUntil !== null,
      holdsUntil: holdsUntil ? date(holdsUntil) : '',
      toKeep: money(toKeep),
      // toKeep is what the day after holdsUntil lacks; while below, what the next run lacks.
      keepBy: date(addDays(holdsUntil ?? notice.asOf, 1)),
      downgradeOn: date(downgradeOn),
      downgradeTierName: tierNamed(program, downgradeTo, notice.eventId).name[locale],
    };
  }
  const next = tierNamed(program, notice.nextTier.id, notice.eventId);
  return {
    ...card,
    nextTierName: next.name[locale],
    nextTierRemaining: money(notice.nextTier.remaining),
    nextTierThreshold: money(notice.nextTier.threshold),
    nextTierDiscountPercent: formatPercentForHumans(next.discountPercent, locale),
  };
}

/** Renders an at-risk or near-next-tier notice in the reader's locale from the editable template files. */
export function composeNoticeEmail(notice: Notice, reader: EmailReader, program: EmailProgram): Email {
  return renderEmail(notice.kind, reader.locale, noticeEmailValues(notice, reader, program));
}
