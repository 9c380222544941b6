/** A calendar date in the program time zone, `YYYY-MM-DD`. */
export type BusinessDate = string;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when the time zone is an IANA name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Years a business date may fall in: four digits, so dates sort and print as `YYYY-MM-DD`. */
export const BUSINESS_YEARS = { first: 1000, last: 9999 } as const;

/** True for a real calendar date in `YYYY-MM-DD` form in years 1000–9999 (rejects 2026-02-30, 0999-06-15). */
export function isBusinessDate(text: string): boolean {
  if (!isCalendarDate(text)) return false;
  const year = Number(text.slice(0, 4));
  return year >= BUSINESS_YEARS.first && year <= BUSINESS_YEARS.last;
}

/** A real calendar date `YYYY-MM-DD` of any four-digit year (the local date of a date-time, before conversion). */
function isCalendarDate(text: string): boolean {
  const match = DATE_ONLY.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Converts an order's `date` (a business date, or an ISO-8601 date-time with offset) into the business
 * date in the program time zone; undefined when the text is neither, or when the date it names there
 * falls outside years 1000–9999 (`9999-12-31T23:00:00Z` is 10000-01-01 in Moscow).
 */
export function toBusinessDate(text: string, timeZone: string): BusinessDate | undefined {
  if (DATE_ONLY.test(text)) return isBusinessDate(text) ? text : undefined;
  if (!DATE_TIME_WITH_OFFSET.test(text) || !isCalendarDate(text.slice(0, 10))) return undefined;
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return undefined;
  const date = businessDateAt(instant, timeZone);
  return isBusinessDate(date) ? date : undefined;
}

/** The business date of an instant in the program time zone. */
export function businessDateAt(instant: Date, timeZone: string): BusinessDate {
  return formatterFor(timeZone).format(instant);
}

/** Calendar arithmetic on business dates (no time zone involved: a date is a date). */
export function addDays(date: BusinessDate, days: number): BusinessDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  const utc = (date: BusinessDate) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}
