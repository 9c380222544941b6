import { getGroupFloor } from '../adapters/dynamodb/group-floors.js';
import { getGroupState } from '../adapters/dynamodb/group-state.js';
import { shardWatermark } from '../adapters/dynamodb/shard-watermarks.js';
import type { GroupStatus } from '../api-schemas.js';
import { shardOf } from '../domain/sharding.js';
import { GROUP_SHARDS } from '../infra/resources.js';
import { program as deployedProgram } from '../config.js';
import { formatMinor } from '../domain/money.js';
import { NO_OUTLOOK } from '../domain/outlook.js';
import { nextTier } from '../domain/tiers.js';
import { businessToday, loadProgramCatalog } from '../program/program-versions.js';
import { findGroup } from './group-directory.js';


/**
 * A group's status: membership now, and sums and tier as its last evaluation left them, described by the
 * program version in effect at that date (today's before any run). Runs rewrite only groups that changed
 * and evaluate every group of a shard, so the as-of date is the later of the group's own record and its
 * shard's watermark; a group no run has needed to store stands at zero in the base tier.
 */
export async function getGroupStatus(groupId: string): Promise<GroupStatus | undefined> {
  const [group, state, watermark, floor, catalog] = await Promise.all([
    findGroup(groupId),
    getGroupState(groupId),
    shardWatermark(shardOf(groupId, GROUP_SHARDS)),
    getGroupFloor(groupId),
    loadProgramCatalog(),
  ]);
  if (!group && !state) return undefined;
  const view = group ?? { groupId, name: groupId, members: [groupId], locale: deployedProgram.defaultLocale };
  const asOf = [state?.appliedAsOf, watermark].filter((date): date is string => Boolean(date)).sort().pop() ?? null;
  const today = businessToday();
  const version = catalog.inEffectAt(asOf ?? today);
  const { tiers } = version.program;
  const sum = state?.sum ?? 0n;
  const qualifyingSum = state?.qualifyingSum ?? 0n;
  const tier = (state && catalog.tier(state.tierId, version)) ?? tiers[0]!;
  const next = nextTier(tier.id, qualifyingSum, tiers);
  // Stored with the state by the run (its dates are absolute, so they stand at later watermarks too).
  const outlook = state?.outlook ?? NO_OUTLOOK;
  return {
    groupId,
    name: view.name,
    members: view.members,
    asOf,
    sum90d: formatMinor(sum),
    qualifyingSum90d: formatMinor(qualifyingSum),
    tier: { id: tier.id, name: tier.name[view.locale], discountPercent: tier.discountPercent, benefits: tier.benefits[view.locale], benefitCodes: tier.benefitCodes },
    tierSince: state?.tierSince ?? null,
    nextTier: next ? { id: next.tier.id, threshold: formatMinor(next.tier.threshold), remaining: formatMinor(next.remaining) } : null,
    floor: floor && floor.until >= today ? { tierId: floor.tierId, until: floor.until } : null,
    outlook: { ...outlook, toKeep: outlook.toKeep === null ? null : formatMinor(outlook.toKeep) },
  };
}
