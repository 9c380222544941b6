import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { failRun, releaseRunLease } from '../lib/adapters/dynamodb/runs.js';
import { queues } from '../lib/infra/resources.js';
import { logger } from '../lib/observability.js';
import { runRecalcTask } from '../lib/recalc/shard-work.js';
import { RecalcTaskSchema } from '../lib/recalc/tasks.js';

/** One recalc task; on its last delivery a failure also fails the run (and frees the lease) before the DLQ. */
async function processTask(record: SQSRecord): Promise<void> {
  const task = RecalcTaskSchema.parse(JSON.parse(record.body));
  try {
    await runRecalcTask(task);
  } catch (error) {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount);
    logger.error('recalc task failed', { task, receiveCount, error: error as Error });
    if (receiveCount >= queues.recalcTasks.maxReceiveCount) {
      await failRun(task.runId, `${task.phase} shard ${task.shard} failed ${receiveCount} times: ${(error as Error).message}`);
      await releaseRunLease(task.runId);
    }
    throw error;
  }
}

/** SQS consumer of the recalc task queue; reports failed tasks so SQS retries only those. */
export const handler = middy((event: SQSEvent, context: Context) =>
  // A processor per invocation: it holds the batch's results, and invocations may overlap in one process.
  processPartialResponse(event, processTask, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false }),
).use(
  injectLambdaContext(logger),
);
