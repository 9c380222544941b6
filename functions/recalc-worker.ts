import { failRun, releaseRunLease } from '../lib/adapters/dynamodb/runs.js';
import { sqsConsumer } from '../lib/adapters/sqs/consumer.js';
import { queues } from '../lib/infra/resources.js';
import { runRecalcTask } from '../lib/recalc/shard-work.js';
import { RecalcTaskSchema } from '../lib/recalc/tasks.js';

/** SQS consumer of the recalc task queue; on a task's last delivery a failure also fails the run and frees the lease. */
export const handler = sqsConsumer('recalc task', async (record) => {
  const task = RecalcTaskSchema.parse(JSON.parse(record.body));
  try {
    await runRecalcTask(task);
  } catch (error) {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount);
    if (receiveCount >= queues.recalcTasks.maxReceiveCount) {
      await failRun(task.runId, `${task.phase} shard ${task.shard} failed ${receiveCount} times: ${(error as Error).message}`);
      await releaseRunLease(task.runId);
    }
    throw error;
  }
});
