import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../lib/observability.js';
import { nightlyAsOf, startRun } from '../lib/jobs/recalculation/runs.js';

/** EventBridge Scheduler target (01:00 in the program time zone): recalculates as of yesterday. */
export const handler = middy(async () => {
  const asOf = nightlyAsOf(new Date());
  const started = await startRun(asOf, 'schedule');
  logger.info('nightly run triggered', { asOf, ...started });
  return started;
}).use(injectLambdaContext(logger));
