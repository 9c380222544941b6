import { putPartials, readPartials } from '../../adapters/dynamodb/job-partials.js';
import { putShardResult } from '../../adapters/dynamodb/job-shard-results.js';
import { putShardRows } from '../../adapters/dynamodb/job-rows.js';
import type { Job } from '../../adapters/dynamodb/jobs.js';
import { readShardMembership } from '../../adapters/dynamodb/master-data.js';
import { readShardWindow } from '../../adapters/dynamodb/order-window.js';
import { shardKey, shardOf } from '../../domain/sharding.js';
import type { JobKind } from './job-kind.js';
import { startMembershipRead } from './membership.js';

/**
 * Map: folds one order shard's window into an aggregate per client (the kind's `addOrder`), maps each
 * client to its current group, adds the groups the kind knows of otherwise, and writes the aggregates
 * bucketed by the reduce shard that owns each group. Every bucket is written on every attempt (empty ones
 * too), so a retried or duplicated task never counts twice. Returns how many groups it found.
 */
export async function mapShard<Context, Aggregate>(kind: JobKind<Context, Aggregate>, job: Job, context: Context, shard: string, needed: Promise<void>): Promise<number> {
  const { aggregation } = kind;
  const window = kind.window(context);
  const byClient = new Map<string, Aggregate>();
  // A kind that lists groups from master data needs every client of the shard; the others only the window's.
  const membershipRead = kind.knownGroups ? undefined : startMembershipRead(shard);
  const [shardMembership] = await Promise.all([
    kind.knownGroups ? readShardMembership(shard) : undefined,
    (async () => {
      for await (const orders of readShardWindow(shard, window.from, window.to, window.withLines)) {
        for (const order of orders) {
          let client = byClient.get(order.clientId);
          if (!client) byClient.set(order.clientId, (client = aggregation.empty(context)));
          aggregation.addOrder(client, order, context);
        }
      }
    })(),
  ]);
  const windowMembership = membershipRead && (await membershipRead.forWindow(byClient.keys()));
  const membership = shardMembership ?? windowMembership!.groups;
  const byReduceShard = new Map(Array.from({ length: job.reduceShards }, (_, i) => [shardKey(i), new Map<string, Aggregate>()]));
  const add = (groupId: string, aggregate: Aggregate) => {
    const groups = byReduceShard.get(shardOf(groupId, job.reduceShards))!;
    const group = groups.get(groupId);
    if (group) aggregation.merge(group, aggregate);
    else groups.set(groupId, aggregate);
  };
  for (const [clientId, aggregate] of byClient) add(membership.get(clientId) ?? clientId, aggregate);
  if (kind.knownGroups) {
    const shardIndex = Number(shard.slice(1));
    for (const [groupId, aggregate] of await kind.knownGroups({ job, context, shard, shardIndex, membership })) add(groupId, aggregate);
  }
  const encoded = new Map([...byReduceShard].map(([reduceShard, groups]) => [reduceShard, new Map([...groups].map(([groupId, group]) => [groupId, aggregation.encode(group)]))]));
  await needed;
  await Promise.all([putPartials(job.jobId, shard, encoded), windowMembership?.record()]);
  return [...byReduceShard.values()].reduce((total, groups) => total + groups.size, 0);
}

/**
 * Reduce: merges what every map shard wrote for one group shard into one aggregate per group, lets the
 * kind reduce them, and records its result and rows for the finish (the latest attempt's: a read-only
 * reduce computes the same again on the data as it is now).
 */
export async function reduceShard<Context, Aggregate>(kind: JobKind<Context, Aggregate>, job: Job, context: Context, shard: string, needed: Promise<void>): Promise<number> {
  // The kind writes nothing before it has the groups: they come once the job is known to need the shard.
  const groups = Promise.all([mergedPartials(kind.aggregation, job.jobId, shard), needed]).then(([merged]) => merged);
  // Awaited by the reduce (alongside its own reads); a failure the reduce never awaits still fails the task below.
  groups.catch(() => undefined);
  const output = await kind.reduce({ job, context, shard, groups });
  if (output.result !== undefined) {
    const rowChunks = await putShardRows(job.jobId, shard, output.rows ?? []);
    await putShardResult(job.jobId, shard, { result: output.result, rowChunks }, { firstStands: false });
  }
  return (await groups).size;
}

/** What every map shard wrote for one reduce shard, merged into one aggregate per group. */
async function mergedPartials<Context, Aggregate>(aggregation: JobKind<Context, Aggregate>['aggregation'], jobId: string, shard: string): Promise<Map<string, Aggregate>> {
  const groups = new Map<string, Aggregate>();
  for await (const entries of readPartials(jobId, shard)) {
    for (const [groupId, encoded] of entries) {
      const aggregate = aggregation.decode(encoded);
      const group = groups.get(groupId);
      if (group) aggregation.merge(group, aggregate);
      else groups.set(groupId, aggregate);
    }
  }
  return groups;
}
