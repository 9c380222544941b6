import { mapWithConcurrency } from '../concurrency.js';
import { groupsAppliedAfter, rewindAppliedAsOf } from '../adapters/dynamodb/group-state.js';
import { getJob } from '../adapters/dynamodb/jobs.js';
import { leaseHolder } from '../adapters/dynamodb/run-lease.js';
import { rewindShardWatermark } from '../adapters/dynamodb/shard-watermarks.js';
import type { BusinessDate } from '../domain/business-date.js';
import { shardKey, shardOf } from '../domain/sharding.js';
import { conflict } from '../http/errors.js';
import { GROUP_SHARDS } from '../infra/resources.js';
import { logger } from '../observability.js';

/** What a reset moved back. */
export interface ResetOutcome {
  asOf: BusinessDate;
  /** Groups whose own state had been evaluated after `asOf`. */
  groupsReset: number;
  /** Group shards whose watermark (the date every group of the shard stands evaluated at) was after `asOf`. */
  shardsReset: number;
}

/**
 * Repairs groups evaluated at a wrong (later) date: sets their applied date back to `asOf`, and the
 * watermarks of their shards, so runs from `asOf` on evaluate them again. Each keeps the standing it had
 * before the wrong evaluation (`prior`), so running `asOf` itself again decides from there, and records the
 * change from the tier the wrong run left (sent like any other, which puts the email and the ERP right).
 * Steps: refuse while a run is in progress (it writes the same state); find the groups (the given ones, or
 * every group evaluated after `asOf`); rewind each; rewind the shards. History is kept; nothing is deleted.
 */
export async function resetAppliedDate(asOf: BusinessDate, groupIds?: readonly string[]): Promise<ResetOutcome> {
  const holder = await leaseHolder();
  if (holder && (await getJob(holder.runId))?.status === 'running') {
    throw conflict(`Run ${holder.runId} for ${holder.asOf} is in progress; reset applied dates when it has finished`);
  }
  const targets = groupIds ?? (await groupsAppliedAfter(asOf));
  const rewound = await mapWithConcurrency(targets, 8, (groupId) => rewindAppliedAsOf(groupId, asOf));
  const shards = groupIds ? [...new Set(groupIds.map((groupId) => shardOf(groupId, GROUP_SHARDS)))] : Array.from({ length: GROUP_SHARDS }, (_, i) => shardKey(i));
  const moved = await mapWithConcurrency(shards, 8, (shard) => rewindShardWatermark(shard, asOf));
  const outcome = { asOf, groupsReset: rewound.filter(Boolean).length, shardsReset: moved.filter(Boolean).length };
  logger.warn('applied dates reset', { ...outcome, groups: groupIds?.length ?? 'all' });
  return outcome;
}
