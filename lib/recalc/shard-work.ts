import { readShardFloors } from '../adapters/dynamodb/group-floors.js';
import { readActiveStates, readStates, writeStates } from '../adapters/dynamodb/group-state.js';
import { readShardMembership } from '../adapters/dynamodb/master-data.js';
import { sumShardWindowByClient } from '../adapters/dynamodb/order-window.js';
import {
  advanceShardWatermark,
  getRun,
  markShardDone,
  putPartialSums,
  putShardResult,
  readPartialSums,
  shardWatermark,
  type Run,
  type RunResult,
} from '../adapters/dynamodb/runs.js';
import { recordRunChanges } from '../adapters/dynamodb/run-changes.js';
import { recordTierChanges } from '../adapters/dynamodb/tier-changes.js';
import { addDays } from '../domain/business-date.js';
import { asEvaluatedAt, evaluateGroup, type GroupState, type GroupSums, type TierChange } from '../domain/group-evaluation.js';
import { countGroup, groupsPerTier } from '../domain/tier-distribution.js';
import { shardKey, shardOf } from '../domain/sharding.js';
import { publishTierChanges } from '../delivery/publish.js';
import { GROUP_SHARDS } from '../infra/resources.js';
import { logger } from '../observability.js';
import { multipliersByBrand } from '../program/program-config.js';
import { loadProgramCatalog, type ProgramCatalog, type ProgramVersion } from '../program/program-versions.js';
import { afterMapShard, afterReduceShard } from './run-lifecycle.js';
import type { RecalcTask } from './tasks.js';

/** The program version a run applies (the one it recorded at its start), with the versions before it. */
async function runProgram(run: Run): Promise<{ catalog: ProgramCatalog; version: ProgramVersion }> {
  const catalog = await loadProgramCatalog();
  const version = run.programVersion === undefined ? catalog.inEffectAt(run.asOf) : catalog.numbered(run.programVersion);
  if (!version) throw new Error(`Run ${run.runId} applies program version ${run.programVersion}, which is not stored`);
  return { catalog, version };
}

/**
 * Map: sums one order shard's counted in-window orders per client (real and qualifying amounts), maps
 * each client to its current group, and writes the group sums bucketed by the reduce shard that owns each
 * group. Re-running a shard rewrites the same partials, so a retried or duplicated task never double counts.
 */
async function mapShard(task: RecalcTask, asOf: string, { program }: ProgramVersion): Promise<void> {
  const from = addDays(asOf, -(program.windowDays - 1));
  const counted = new Set<string>(program.countedStatuses);
  const [byClient, groupOf] = await Promise.all([
    sumShardWindowByClient(task.shard, from, asOf, counted, multipliersByBrand(program)),
    readShardMembership(task.shard),
  ]);
  // Every bucket is written on every attempt (empty ones too), so a retry never leaves a stale partial behind.
  const byReduceShard = new Map(Array.from({ length: GROUP_SHARDS }, (_, i) => [shardKey(i), new Map<string, GroupSums>()]));
  for (const [clientId, client] of byClient) {
    const groupId = groupOf.get(clientId) ?? clientId;
    const sums = byReduceShard.get(shardOf(groupId, GROUP_SHARDS))!;
    const group = sums.get(groupId);
    if (group) {
      group.sum += client.sum;
      group.qualifyingSum += client.qualifyingSum;
    } else {
      sums.set(groupId, { ...client });
    }
  }
  await putPartialSums(task.runId, task.shard, byReduceShard);
  logger.debug('map shard done', { runId: task.runId, shard: task.shard, clients: byClient.size });
}

/** Whether an evaluation changed anything stored; the as-of date alone is carried by the shard watermark. */
function sameState(a: GroupState, b: GroupState): boolean {
  return (
    a.sum === b.sum &&
    a.qualifyingSum === b.qualifyingSum &&
    a.tierId === b.tierId &&
    a.tierSince === b.tierSince &&
    a.belowRetainSince === b.belowRetainSince &&
    a.changeCount === b.changeCount &&
    a.pending.length === b.pending.length
  );
}

/**
 * Publishes recorded changes to both fan-out queues (through the delivery ledger), then marks them
 * published by clearing the outbox of their groups. A crash in between re-publishes on the next attempt;
 * consumers dedupe by eventId.
 */
async function publishPending(states: GroupState[]): Promise<void> {
  const withPending = states.filter((state) => state.pending.length > 0);
  if (withPending.length === 0) return;
  await publishTierChanges(withPending.flatMap((state) => state.pending));
  await writeStates(withPending.map((state) => ({ ...state, pending: [] })));
}

/**
 * Reduce: evaluates by the run's program version every group of one group shard that could have changed
 * (groups with in-window sums or a floor in force, and groups whose last state had a sum, a paid tier or
 * an unpublished change), records tier changes (history, then state with the change in its outbox),
 * counts them and lists them under the run, publishes them and marks them published.
 */
async function reduceShard(task: RecalcTask, asOf: string, { catalog, version }: { catalog: ProgramCatalog; version: ProgramVersion }): Promise<void> {
  const [sums, active, watermark, floors] = await Promise.all([
    readPartialSums(task.runId, task.shard),
    readActiveStates(task.shard),
    shardWatermark(task.shard),
    readShardFloors(task.shard),
  ]);
  const floorsInForce = new Map([...floors].filter(([, floor]) => floor.until >= asOf));
  const previous = new Map(active.map((state) => [state.groupId, state]));
  const unseen = [...new Set([...sums.keys(), ...floorsInForce.keys()])].filter((groupId) => !previous.has(groupId));
  for (const state of await readStates(unseen)) previous.set(state.groupId, state);
  const retiredDiscount = (tierId: string) => catalog.tier(tierId, version)?.discountPercent;

  const counts: RunResult = { groups: 0, changed: 0, up: 0, down: 0, skipped: 0, tiers: new Map() };
  // Every group of the shard that has a sum or a paid tier, as the run leaves it (skipped ones as they stand),
  // with the discount of its tier in the run's version (a tier the version dropped: as it was last defined).
  const countInTier = (state: GroupState) => countGroup(counts.tiers, state.tierId, state.sum, catalog.tier(state.tierId, version)?.discountPercent ?? 0);
  const changes: TierChange[] = [];
  const runChanges: TierChange[] = [];
  const toWrite: GroupState[] = [];
  const toPublish: GroupState[] = [];
  const groupIds = new Set([...sums.keys(), ...previous.keys(), ...floorsInForce.keys()]);
  if (watermark && watermark > asOf) {
    // A backfill behind a later run: every group of this shard was evaluated at a later date.
    counts.skipped = groupIds.size;
    groupIds.clear();
    toPublish.push(...previous.values());
    for (const state of previous.values()) countInTier(state);
  }
  for (const groupId of groupIds) {
    // Every group of the shard stands evaluated at the watermark, whatever date its own item last recorded.
    const stored = previous.get(groupId);
    const before = stored && asEvaluatedAt(stored, watermark);
    const evaluation = evaluateGroup({
      groupId,
      sums: sums.get(groupId) ?? { sum: 0n, qualifyingSum: 0n },
      asOf,
      previous: before,
      floor: floorsInForce.get(groupId),
      policy: version.program,
      retiredDiscount,
    });
    if (evaluation.kind === 'skipped') {
      counts.skipped++;
      if (before) {
        toPublish.push(before);
        countInTier(before);
      }
      continue;
    }
    counts.groups++;
    const { state, change } = evaluation;
    countInTier(state);
    if (change) changes.push(change);
    // Changes of this as-of date still in the outbox were recorded by an earlier attempt of this shard.
    for (const recorded of state.pending.filter((pending) => pending.asOf === asOf)) {
      counts.changed++;
      counts[recorded.direction]++;
      runChanges.push(recorded);
    }
    if (!before || !sameState(before, state)) toWrite.push(state);
    toPublish.push(state);
  }
  await recordTierChanges(changes);
  await writeStates(toWrite);
  // Counted once the changes are recorded and before they leave the outbox: the first count stands.
  await recordRunChanges(task.runId, runChanges);
  await putShardResult(task.runId, task.shard, counts);
  await publishPending(toPublish);
  await advanceShardWatermark(task.shard, asOf);
  const { tiers, ...totals } = counts;
  logger.debug('reduce shard done', { runId: task.runId, shard: task.shard, ...totals, tiers: groupsPerTier(tiers) });
}

/** Runs one recalc task; a task for a finished phase or shard is acknowledged without work. */
export async function runRecalcTask(task: RecalcTask): Promise<void> {
  let run = await getRun(task.runId);
  if (!run || run.status !== 'running') return;
  if (task.phase === 'map') {
    if (run.phase !== 'map') return;
    // A shard already done still moves the run on: the attempt that marked it may have died right after.
    if (!run.mapDone.includes(task.shard)) {
      await mapShard(task, run.asOf, (await runProgram(run)).version);
      run = await markShardDone(task.runId, 'map', task.shard);
    }
    await afterMapShard(run);
    return;
  }
  if (run.phase !== 'reduce') return;
  if (!run.reduceDone.includes(task.shard)) {
    await reduceShard(task, run.asOf, await runProgram(run));
    run = await markShardDone(task.runId, 'reduce', task.shard);
  }
  await afterReduceShard(run);
}
