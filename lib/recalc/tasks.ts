import { z } from 'zod';
import { queueUrl } from '../config.js';
import { sendAll } from '../adapters/sqs/client.js';
import { shardKey } from '../domain/sharding.js';

/** One unit of a run's work on the recalc task queue: a map shard (orders) or a reduce shard (groups). */
export const RecalcTaskSchema = z.object({
  runId: z.string().min(1),
  phase: z.enum(['map', 'reduce']),
  shard: z.string().regex(/^s\d{3}$/),
});
export type RecalcTask = z.infer<typeof RecalcTaskSchema>;

/** Queues the tasks of a phase for the given shard numbers (all of them when none are given). */
export async function enqueueTasks(runId: string, phase: RecalcTask['phase'], shardCount: number, only?: ReadonlySet<string>): Promise<number> {
  const tasks: RecalcTask[] = [];
  for (let index = 0; index < shardCount; index++) {
    const shard = shardKey(index);
    if (!only || only.has(shard)) tasks.push({ runId, phase, shard });
  }
  await sendAll(queueUrl('recalcTasks'), tasks.map((task) => JSON.stringify(task)));
  return tasks.length;
}
