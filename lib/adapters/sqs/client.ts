import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { chunk, mapWithConcurrency, sleep } from '../../concurrency.js';

/** The process's one SQS client; the endpoint follows AWS_ENDPOINT_URL_SQS when set (local stack). */
export const sqs = new SQSClient({ maxAttempts: 6 });

/**
 * Sends message bodies in batches of ten, re-sending entries SQS reports as failed, so a call that
 * returns has delivered every message at least once.
 */
export async function sendAll(queueUrl: string, bodies: readonly string[]): Promise<void> {
  await mapWithConcurrency(chunk(bodies, 10), 4, async (batch) => {
    let pending = batch.map((body, i) => ({ Id: String(i), MessageBody: body }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 8) throw new Error(`SQS SendMessageBatch: ${pending.length} messages still failing after ${attempt} attempts`);
      if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt));
      const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
      const failedIds = new Set((result.Failed ?? []).map((failure) => failure.Id));
      pending = pending.filter((entry) => failedIds.has(entry.Id));
    }
  });
}
