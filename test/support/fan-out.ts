import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueKey } from '../../lib/infra/resources.js';
import { startQueuePoller, type SqsHandler } from '../../lib/local/queue-poller.js';
import type { LocalStack } from '../../lib/local/stack.js';

/** Polls `probe` until it returns a value, failing with `what` after `waitMs` (a wait, never an assertion on time). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, waitMs = 20_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs the real local poller (one invocation at a time) over a queue of the stack with `consume` as the
 * function, as the Lambda event source would, until `done` holds; then stops it.
 */
export async function consumeUntil(
  sqs: SQSClient,
  stack: LocalStack,
  queue: QueueKey,
  consume: SqsHandler,
  done: () => Promise<boolean> | boolean,
  what: string,
): Promise<void> {
  const poller = startQueuePoller(sqs, {
    queueUrl: stack.queues[queue].url,
    queueArn: stack.queues[queue].arn,
    functionName: queue,
    handler: consume,
    batchSize: 10,
    concurrency: 1,
    timeoutSeconds: 30,
    maxIdleMs: 100,
  });
  try {
    await eventually(what, async () => ((await done()) ? true : undefined));
  } finally {
    await poller.stop();
  }
}
