import { z } from 'zod';
import { queueUrl } from '../../config.js';
import { sendAll } from '../../adapters/sqs/client.js';
import { shardKey } from '../../domain/sharding.js';

/**
 * One unit of a job's work on the recalc task queue (which carries the tasks of every job kind): a map
 * shard (orders), a reduce shard (groups) or the finish.
 */
export const JobTaskSchema = z.object({
  jobId: z.string().min(1),
  phase: z.enum(['map', 'reduce', 'finish']),
  shard: z.string().regex(/^s\d{3}$/),
});
export type JobTask = z.infer<typeof JobTaskSchema>;

/** The shard key a finish task carries (there is one finish per job). */
export const FINISH_SHARD = shardKey(0);

/** Queues the tasks of a phase for the given shards (all `shardCount` of them when none are given). */
export async function enqueueTasks(jobId: string, phase: JobTask['phase'], shardCount: number, only?: ReadonlySet<string>): Promise<number> {
  const tasks: JobTask[] = [];
  for (let index = 0; index < shardCount; index++) {
    const shard = shardKey(index);
    if (!only || only.has(shard)) tasks.push({ jobId, phase, shard });
  }
  await sendAll(queueUrl('recalcTasks'), tasks.map((task) => JSON.stringify(task)));
  return tasks.length;
}
