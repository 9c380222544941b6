import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueueKey } from '../../lib/infra/resources.js';
import { invokeLocally, lambdaContext } from '../../lib/local/lambda-context.js';
import { sqsRecord } from '../../lib/local/queue-poller.js';
import type { LocalStack } from '../../lib/local/stack.js';

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** Receives up to `max` messages from a queue of the stack (no wait), with the receive count attribute. */
export async function receive(stack: LocalStack, queue: QueueKey, max = 10): Promise<Message[]> {
  const sqs = new SQSClient({ endpoint: stack.endpoints.sqsEndpoint });
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: stack.queues[queue].url, MaxNumberOfMessages: max, WaitTimeSeconds: 0, AttributeNames: ['All'] }),
  );
  sqs.destroy();
  return Messages ?? [];
}

/**
 * Delivers a queue's messages to a consumer handler one batch at a time, as the Lambda event source does
 * (deleting what succeeded), until the queue stays empty for three receives or `maxBatches` were delivered. Returns the number of
 * batches delivered. Failed messages stay in flight until their visibility timeout.
 */
export async function drainQueue(stack: LocalStack, queue: QueueKey, handler: Handler, options: { batchSize?: number; maxBatches?: number } = {}): Promise<number> {
  const sqs = new SQSClient({ endpoint: stack.endpoints.sqsEndpoint });
  let batches = 0;
  let emptyReceives = 0;
  try {
    while (batches < (options.maxBatches ?? Number.POSITIVE_INFINITY)) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queues[queue].url,
          MaxNumberOfMessages: options.batchSize ?? 1,
          WaitTimeSeconds: 0,
          AttributeNames: ['All'],
        }),
      );
      if (!Messages || Messages.length === 0) {
        // On a loaded machine a receive can come back empty just after a message was sent: look twice more.
        if (++emptyReceives > 2) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      emptyReceives = 0;
      batches++;
      let failed: Set<string>;
      try {
        const result = await invokeLocally(handler, { Records: Messages.map((message) => sqsRecord(message, stack.queues[queue].arn)) }, lambdaContext(queue));
        failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      } catch {
        failed = new Set(Messages.map((message) => message.MessageId!)); // a thrown invocation fails the whole batch
      }
      for (const message of Messages) {
        if (!failed.has(message.MessageId!)) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: stack.queues[queue].url, ReceiptHandle: message.ReceiptHandle! }));
        }
      }
    }
  } finally {
    sqs.destroy();
  }
  return batches;
}

/**
 * Deletes a queue of the stack (a real fault: every send to it fails) and returns how to bring it back
 * under the same URL with the same visibility timeout and redrive policy. Its messages are lost.
 */
export async function removeQueue(stack: LocalStack, queue: QueueKey): Promise<{ restore(): Promise<void> }> {
  const sqs = new SQSClient({ endpoint: stack.endpoints.sqsEndpoint });
  const { url } = stack.queues[queue];
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
  return {
    restore: async () => {
      const attributes = { VisibilityTimeout: Attributes!.VisibilityTimeout!, RedrivePolicy: Attributes!.RedrivePolicy! };
      await sqs.send(new CreateQueueCommand({ QueueName: url.split('/').pop()!, Attributes: attributes }));
      sqs.destroy();
    },
  };
}
