import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { withInvocationCache } from '../../invocation-cache.js';
import { logger, publishMetrics } from '../../observability.js';

/**
 * Builds an SQS consumer that reports partial batch failures: a record whose `processRecord` throws is
 * logged and left to SQS to redeliver (or, after the queue's max receives, move to its DLQ), while the
 * rest of the batch is acknowledged. A processor and a cache per invocation (the program versions are read
 * once per batch): invocations may overlap in one process. Records are processed in parallel unless
 * `oneAtATime` is set.
 */
export function sqsConsumer(what: string, processRecord: (record: SQSRecord, context: Context) => Promise<void>, options: { oneAtATime?: boolean } = {}) {
  const processOne = async (record: SQSRecord, context: Context) => {
    try {
      await processRecord(record, context);
    } catch (error) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      logger.error(`${what} failed; SQS redelivers it or moves it to the DLQ`, { messageId: record.messageId, receiveCount, error: error as Error });
      throw error;
    }
  };
  return middy((event: SQSEvent, context: Context) =>
    withInvocationCache(() =>
      processPartialResponse(event, (record: SQSRecord) => processOne(record, context), new BatchProcessor(EventType.SQS), {
        context,
        throwOnFullBatchFailure: false,
        processInParallel: !options.oneAtATime,
      }),
    ),
  )
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}
