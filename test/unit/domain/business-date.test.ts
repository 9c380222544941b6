import { describe, expect, it } from 'vitest';
import { addDays, businessDateAt, isBusinessDate, isValidTimeZone, toBusinessDate } from '../../../lib/domain/business-date.js';

const MOSCOW = 'Europe/Moscow';

describe('isBusinessDate', () => {
  it.each(['2026-11-21', '2026-01-01', '2026-12-31', '2028-02-29', '2000-02-29', '2026-02-28'])('accepts %s', (text) => {
    expect(isBusinessDate(text)).toBe(true);
  });

  it.each([
    '2026-02-29', // 2026 is not a leap year
    '2026-02-30',
    '1900-02-29', // century rule
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-11-00',
    '2026-11-32',
    '2026-1-05',
    '26-11-21',
    '2026/11/21',
    '2026-11-21T00:00:00Z',
    ' 2026-11-21',
    '',
    '0999-12-31', // before year 1000
    '0000-01-01',
    '10000-01-01',
  ])('rejects %j', (text) => {
    expect(isBusinessDate(text)).toBe(false);
  });
});

describe('toBusinessDate in Europe/Moscow (UTC+3)', () => {
  it.each([
    ['2026-11-21', '2026-11-21'],
    ['2026-11-21T23:30:00Z', '2026-11-22'], // the §2.3 example
    ['2026-11-21T20:59:59Z', '2026-11-21'], // last second of the Moscow day
    ['2026-11-21T20:59:59.999Z', '2026-11-21'],
    ['2026-11-21T21:00:00Z', '2026-11-22'], // Moscow midnight
    ['2026-11-21T21:00:00+00:00', '2026-11-22'],
    ['2026-11-21T23:59:59+03:00', '2026-11-21'],
    ['2026-11-22T00:00:00+03:00', '2026-11-22'],
    ['2026-11-22T00:30:00+03:00', '2026-11-22'],
    ['2026-11-21T22:00:00-05:00', '2026-11-22'], // 03:00 UTC
    ['2026-11-22T01:00:00+05:00', '2026-11-21'], // 20:00 UTC
    ['2026-12-31T21:00:00Z', '2027-01-01'], // across a year
    ['2028-02-28T22:00:00Z', '2028-02-29'], // into a leap day
    ['2026-11-21T10:00Z', '2026-11-21'], // seconds are optional
    ['1000-01-01', '1000-01-01'], // the first and last business dates
    ['9999-12-31', '9999-12-31'],
    ['9999-12-31T20:59:59Z', '9999-12-31'],
    ['0999-12-31T22:00:00Z', '1000-01-01'], // in year 999 in UTC, already 1000 in Moscow (local mean time then, +2:30)
  ])('%s is business date %s', (text, date) => {
    expect(toBusinessDate(text, MOSCOW)).toBe(date);
  });

  it.each([
    '2026-02-30',
    '2026-02-30T10:00:00Z', // impossible calendar date inside a date-time
    '9999-12-31T23:00:00Z', // 10000-01-01 in Moscow
    '0999-06-15T12:00:00Z', // year 999
    '0999-06-15',
    '2026-11-21T10:00:00', // no offset: ambiguous
    '2026-11-21 10:00:00Z',
    '2026-11-21T25:00:00Z',
    '2026-11-21T10:60:00Z',
    '2026-11-21T10:00:00+25:00',
    '21.11.2026',
    'yesterday',
    '',
  ])('rejects %j', (text) => {
    expect(toBusinessDate(text, MOSCOW)).toBeUndefined();
  });

  it('follows the program time zone, not the host time zone', () => {
    expect(toBusinessDate('2026-11-21T23:30:00Z', 'UTC')).toBe('2026-11-21');
    expect(toBusinessDate('2026-11-21T23:30:00Z', 'America/New_York')).toBe('2026-11-21');
    expect(toBusinessDate('2026-11-21T13:30:00Z', 'Asia/Tokyo')).toBe('2026-11-21');
    expect(toBusinessDate('2026-11-21T15:30:00Z', 'Asia/Tokyo')).toBe('2026-11-22');
  });
});

describe('businessDateAt', () => {
  it('is the calendar date of an instant in the given zone', () => {
    expect(businessDateAt(new Date('2026-11-21T20:59:59.999Z'), MOSCOW)).toBe('2026-11-21');
    expect(businessDateAt(new Date('2026-11-21T21:00:00.000Z'), MOSCOW)).toBe('2026-11-22');
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/Moscow', true],
    ['UTC', true],
    ['Asia/Yekaterinburg', true],
    ['Europe/Atlantis', false],
    ['Moscow', false],
    ['', false],
  ])('%j → %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-11-21', 0, '2026-11-21'],
    ['2026-11-21', 1, '2026-11-22'],
    ['2026-11-30', 1, '2026-12-01'], // month end
    ['2026-12-31', 1, '2027-01-01'], // year end
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-02-28', 1, '2026-03-01'], // no leap day in 2026
    ['2028-02-28', 1, '2028-02-29'], // leap day in 2028
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-11-21', -89, '2026-08-24'], // start of the default 90-day window ending on 2026-11-21
    ['2026-03-01', -89, '2025-12-02'],
    ['2028-05-28', -89, '2028-02-29'],
    ['2026-10-25', 1, '2026-10-26'], // old DST switch dates do not shift calendar arithmetic
    ['2026-03-29', 1, '2026-03-30'],
  ])('%s %+d days is %s', (date, days, result) => {
    expect(addDays(date, days)).toBe(result);
  });
});
