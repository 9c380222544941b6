import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseTierChangeMessage } from '../lib/adapters/sqs/tier-change-message.js';
import { logger, metrics } from '../lib/observability.js';
import { updatePriceList } from '../lib/use-cases/update-price-list.js';

/** One queued tier change; a failure (ERP not answering 2xx included) leaves the record to SQS to retry. */
async function updateRecord(record: SQSRecord): Promise<void> {
  try {
    await updatePriceList(parseTierChangeMessage(record.body));
  } catch (error) {
    const receiveCount = record.attributes.ApproximateReceiveCount;
    logger.error('price list update failed; SQS redelivers it or moves it to the DLQ', { messageId: record.messageId, receiveCount, error: error as Error });
    throw error;
  }
}

/**
 * SQS consumer of `price-list-updates`: reports only the failed records, so the rest of a batch is not
 * applied again. A processor per invocation: the local poller runs several invocations of one module at a time.
 */
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, updateRecord, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
