import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseTierChangeMessage } from '../lib/adapters/sqs/tier-change-message.js';
import { logger, metrics } from '../lib/observability.js';
import { sendTierChangeEmail } from '../lib/use-cases/send-tier-email.js';

/** One queued tier change, emailed at most once per eventId; a failure leaves the record to SQS to retry. */
async function emailRecord(record: SQSRecord, context: Context): Promise<void> {
  try {
    await sendTierChangeEmail(parseTierChangeMessage(record.body), context);
  } catch (error) {
    const receiveCount = record.attributes.ApproximateReceiveCount;
    logger.error('tier email failed; SQS redelivers it or moves it to the DLQ', { messageId: record.messageId, receiveCount, error: error as Error });
    throw error;
  }
}

/**
 * SQS consumer of `tier-emails`: reports only the failed records, so the rest of a batch is not sent again.
 * A processor per invocation: the local poller runs several invocations of one module at a time.
 */
export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, emailRecord, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
