import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { sleep } from '../concurrency.js';
import { logger } from '../observability.js';
import { invokeLocally, lambdaContext } from './lambda-context.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface QueuePollerOptions {
  queueUrl: string;
  queueArn: string;
  functionName: string;
  handler: SqsHandler;
  batchSize: number;
  /** Parallel invocations, like a Lambda event source's maximum concurrency. */
  concurrency: number;
  timeoutSeconds: number;
  /** Longest pause between empty polls. */
  maxIdleMs?: number;
}

/** The SQS event record Lambda builds from a received message. */
export function sqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
  };
}

/**
 * The local stand-in for a Lambda SQS event source: receives batches, invokes the handler with the real
 * event shape, deletes what succeeded (in the background, as the next batch is received) and leaves reported failures (and whole failed batches) to come
 * back after their visibility timeout, so the queue's redrive policy moves poison messages to the DLQ.
 * Polls with WaitTimeSeconds 0 (local-aws-sqs long polling can return a message twice).
 */
export function startQueuePoller(sqs: SQSClient, options: QueuePollerOptions): { stop(): Promise<void> } {
  let running = true;
  const maxIdleMs = options.maxIdleMs ?? 100;
  const deleting = new Set<Promise<void>>();
  // As Lambda's event source does, a finished batch is deleted while the next one is received: the delete is
  // not on the invocations' path. A batch whose delete fails comes back after its visibility timeout.
  const deleteDone = (messages: Message[]) => {
    const deleted = sqs
      .send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })),
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          // As with Lambda: an undeleted message comes back after its visibility timeout; consumers dedupe.
          logger.error('queue poller: delete failed; the batch will be delivered again', { function_name: options.functionName, error: error as Error });
        },
      )
      .finally(() => deleting.delete(deleted));
    deleting.add(deleted);
  };
  const loop = async () => {
    let idleMs = 20;
    while (running) {
      let messages: Message[] = [];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: 0,
            AttributeNames: ['All'],
          }),
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (running) logger.error('queue poller: receive failed', { function_name: options.functionName, error: error as Error });
      }
      if (messages.length === 0) {
        await sleep(idleMs);
        idleMs = Math.min(maxIdleMs, idleMs * 2);
        continue;
      }
      idleMs = 20;
      const event: SQSEvent = { Records: messages.map((message) => sqsRecord(message, options.queueArn)) };
      let failed = new Set<string>();
      try {
        const result = await invokeLocally(options.handler, event, lambdaContext(options.functionName, options.timeoutSeconds));
        failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      } catch (error) {
        logger.error('queue poller: invocation failed; the batch returns after its visibility timeout', { function_name: options.functionName, error: error as Error });
        failed = new Set(messages.map((message) => message.MessageId!));
      }
      const done = messages.filter((message) => !failed.has(message.MessageId!));
      if (done.length > 0) deleteDone(done);
    }
  };
  const loops = Array.from({ length: options.concurrency }, loop);
  return {
    stop: async () => {
      running = false;
      await Promise.allSettled(loops);
      await Promise.allSettled([...deleting]);
    },
  };
}
