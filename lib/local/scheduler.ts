import { Cron } from 'croner';
import { program } from '../config.js';
import { awsCronToCronerPattern, NIGHTLY_SCHEDULE_EXPRESSION } from '../infra/schedule.js';
import { loadFunctionHandler } from './http-gateway.js';
import { invokeLocally, lambdaContext } from './lambda-context.js';
import { logger } from '../observability.js';

type ScheduledHandler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/**
 * The local stand-in for EventBridge Scheduler: fires the same cron expression CDK deploys, in the program
 * time zone, and invokes the `recalc-scheduled` function. Returns the job (its next run, and stop()).
 */
export function startNightlySchedule(
  onError: (error: unknown) => void = (error) => logger.error('nightly schedule: the run could not be started', { error: error as Error }),
): Cron {
  return new Cron(awsCronToCronerPattern(NIGHTLY_SCHEDULE_EXPRESSION), { timezone: program.timeZone, protect: true }, async () => {
    try {
      const handler = await loadFunctionHandler<ScheduledHandler>('recalc-scheduled');
      await invokeLocally(handler, { source: 'local-scheduler', time: new Date().toISOString() }, lambdaContext('recalc-scheduled', 60));
    } catch (error) {
      onError(error);
    }
  });
}
