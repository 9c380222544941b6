import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { awsCronToCronerPattern, NIGHTLY_SCHEDULE_EXPRESSION } from '../../../lib/infra/schedule.js';

describe('AWS cron → croner pattern', () => {
  it.each([
    ['cron(0 1 * * ? *)', '0 1 * * *'],
    ['cron(15 3 ? * 2 *)', '15 3 * * 1'], // AWS 2 = Monday → croner 1
    ['cron(0 6 ? * 1,7 *)', '0 6 * * 0,6'], // Sunday and Saturday
    ['cron(0 6 ? * 2-6 *)', '0 6 * * 1-5'], // weekdays
    ['cron(0 6 ? * MON-FRI *)', '0 6 * * MON-FRI'],
    ['cron(30 2 1 * ? *)', '30 2 1 * *'],
  ])('%s → %s', (aws, croner) => {
    expect(awsCronToCronerPattern(aws)).toBe(croner);
  });

  it.each(['rate(1 day)', 'cron(0 1 * * ?)', 'cron(0 1 L * ? *)', 'cron(0 1 ? * 8 *)'])('rejects %s', (expression) => {
    expect(() => awsCronToCronerPattern(expression)).toThrow();
  });

  it('fires the nightly run at 01:00 Moscow time, which is 22:00 UTC the day before', () => {
    const job = new Cron(awsCronToCronerPattern(NIGHTLY_SCHEDULE_EXPRESSION), { timezone: 'Europe/Moscow', paused: true });
    expect(job.nextRun(new Date('2026-11-21T21:59:00Z'))?.toISOString()).toBe('2026-11-21T22:00:00.000Z');
    expect(job.nextRun(new Date('2026-11-21T22:00:00Z'))?.toISOString()).toBe('2026-11-22T22:00:00.000Z');
    job.stop();
  });
});
