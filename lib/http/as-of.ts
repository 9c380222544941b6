import { z } from 'zod';
import { program } from '../config.js';
import { businessDateAt, isBusinessDate, type BusinessDate } from '../domain/business-date.js';

/** Today's business date in the program time zone. */
export function programToday(now = new Date()): BusinessDate {
  return businessDateAt(now, program.timeZone);
}

/**
 * The as-of date of a run, a simulation or a report, as an operator gives it: a real `YYYY-MM-DD` date, not
 * after today in the program time zone (a run for a future date would stand every group evaluated at it,
 * so no later real run could change them). Any past date is fine: a backfill.
 */
export const AsOfDate = z
  .string()
  .refine(isBusinessDate, 'must be a business date YYYY-MM-DD')
  .superRefine((date, context) => {
    const today = programToday();
    if (isBusinessDate(date) && date > today) {
      context.addIssue({ code: 'custom', message: `must not be after today (${today} in ${program.timeZone})` });
    }
  });
