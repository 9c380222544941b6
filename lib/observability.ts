import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Structured JSON logger shared by every handler in a process. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tier-engine' });

/** CloudWatch EMF metrics under one namespace (counts of ingested items, emails, tier changes). */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'TierEngine',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tier-engine',
});
