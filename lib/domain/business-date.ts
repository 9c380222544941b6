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

/** True for a real calendar date in `YYYY-MM-DD` form (rejects 2026-02-30). */
export function isBusinessDate(text: string): boolean {
  const match = DATE_ONLY.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Converts an order's `date` (a business date, or an ISO-8601 date-time with offset) into the business
 * date in the program time zone; undefined when the text is neither.
 */
export function toBusinessDate(text: string, timeZone: string): BusinessDate | undefined {
  if (DATE_ONLY.test(text)) return isBusinessDate(text) ? text : undefined;
  if (!DATE_TIME_WITH_OFFSET.test(text) || !isBusinessDate(text.slice(0, 10))) return undefined;
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return undefined;
  return businessDateAt(instant, timeZone);
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
