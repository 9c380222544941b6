import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';

type LoggerOptions = NonNullable<ConstructorParameters<typeof Logger>[0]>;

/** Keys every Powertools line carries that a person reading the local stack's console does not need. */
const CONTEXT_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'error',
]);

function clockTime(timestamp: unknown): string {
  const date = typeof timestamp === 'string' ? new Date(timestamp) : new Date();
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * One line per event for people (`LOG_FORMAT=text`, the local stack's default): time, level, function,
 * message, then the event's own fields as key=value and an error's name, message and location. The JSON
 * lines Lambda writes carry the same fields.
 */
class ReadableLogger extends Logger {
  protected override printLog(logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const attributes = log.getAttributes() as Record<string, unknown>;
    const error = attributes.error as { name?: string; message?: string; location?: string } | undefined;
    const fields = Object.entries(attributes)
      .filter(([key]) => !CONTEXT_KEYS.has(key))
      .map(([key, value]) => `${key}=${fieldValue(value)}`);
    if (error) fields.push(`error=${fieldValue(`${error.name ?? 'Error'}: ${error.message ?? ''}`)}${error.location ? ` at=${error.location}` : ''}`);
    const level = String(attributes.level ?? '');
    const source = String(attributes.function_name ?? attributes.service ?? '');
    const line = [clockTime(attributes.timestamp), level.padEnd(5), source, String(attributes.message ?? ''), ...fields].join(' ');
    const method = level === 'CRITICAL' ? 'error' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
    console[method](line);
  }

  protected override createLogger(options?: LoggerOptions): Logger {
    return new ReadableLogger(options);
  }
}

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'tier-engine';

/** The logger every handler of a process shares: JSON lines (Lambda), or readable lines with LOG_FORMAT=text. */
export const logger: Logger = process.env.LOG_FORMAT === 'text' ? new ReadableLogger({ serviceName }) : new Logger({ serviceName });

/** CloudWatch EMF metrics under one namespace (counts of ingested items, emails, tier changes). */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'TierEngine',
  serviceName,
});

/**
 * Middy middleware that flushes the metrics an invocation added, and only those: an invocation that added
 * none writes nothing (Powertools' own middleware would log an empty-metrics warning for each one).
 */
export function publishMetrics(): MiddlewareObj {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}
