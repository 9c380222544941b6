import { sqsConsumer } from '../lib/adapters/sqs/consumer.js';
import { queues } from '../lib/infra/resources.js';
import { JobTaskSchema } from '../lib/jobs/engine/tasks.js';
import { failTaskJob, runTask } from '../lib/jobs/worker.js';

/**
 * SQS consumer of the recalc task queue, which carries the tasks of every job kind (recalculations,
 * simulations, reports); on a task's last delivery a failure also fails its job with the reason.
 */
export const handler = sqsConsumer('job task', async (record) => {
  const task = JobTaskSchema.parse(JSON.parse(record.body));
  try {
    await runTask(task);
  } catch (error) {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount);
    if (receiveCount >= queues.recalcTasks.maxReceiveCount) {
      await failTaskJob(task, `${task.phase} shard ${task.shard} failed ${receiveCount} times: ${(error as Error).message}`);
    }
    throw error;
  }
});
