/** The nightly run: 01:00 every day in the program time zone (EventBridge Scheduler syntax). */
export const NIGHTLY_SCHEDULE_EXPRESSION = 'cron(0 1 * * ? *)';

const DAY_NAMES = new Set(['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']);

/**
 * Converts an AWS `cron(min hour dom month dow year)` expression to the five-field form croner reads:
 * the year is dropped, `?` becomes `*`, and numeric days of week shift from AWS's 1 = Sunday to 0 = Sunday.
 */
export function awsCronToCronerPattern(expression: string): string {
  const match = /^cron\((.+)\)$/.exec(expression.trim());
  if (!match) throw new Error(`Not an AWS cron expression: ${expression}`);
  const fields = match[1]!.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`AWS cron needs 6 fields, got ${fields.length}: ${expression}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string, string];
  if (/[LW#]/.test(dayOfMonth + dayOfWeek)) throw new Error(`L, W and # are not supported locally: ${expression}`);
  const shiftDay = (token: string) => {
    if (DAY_NAMES.has(token.toUpperCase()) || token === '*') return token;
    const day = Number(token);
    if (!Number.isInteger(day) || day < 1 || day > 7) throw new Error(`Bad day of week "${token}" in ${expression}`);
    return String(day - 1);
  };
  const weekdays =
    dayOfWeek === '?'
      ? '*'
      : dayOfWeek
          .split(',')
          .map((part) => part.split('-').map(shiftDay).join('-'))
          .join(',');
  return [minute, hour, dayOfMonth === '?' ? '*' : dayOfMonth, month, weekdays].join(' ');
}
