import { getGroupState } from '../adapters/dynamodb/group-state.js';
import type { GroupStatus } from '../api-schemas.js';
import { shardWatermark } from '../adapters/dynamodb/runs.js';
import { shardOf } from '../domain/sharding.js';
import { GROUP_SHARDS } from '../infra/resources.js';
import { program } from '../config.js';
import { formatMinor } from '../domain/money.js';
import { nextTier } from '../domain/tiers.js';
import { findGroup } from './group-directory.js';


/**
 * A group's status: membership now, and sum and tier as its last evaluation left them. Runs rewrite only
 * groups that changed and evaluate every group of a shard, so the as-of date is the later of the group's
 * own record and its shard's watermark; a group no run has needed to store stands at zero in the base tier.
 */
export async function getGroupStatus(groupId: string): Promise<GroupStatus | undefined> {
  const [group, state, watermark] = await Promise.all([findGroup(groupId), getGroupState(groupId), shardWatermark(shardOf(groupId, GROUP_SHARDS))]);
  if (!group && !state) return undefined;
  const view = group ?? { groupId, name: groupId, members: [groupId], locale: program.defaultLocale };
  const baseTier = program.tiers[0]!;
  const sum = state?.sum ?? 0n;
  const tier = program.tiers.find((candidate) => candidate.id === state?.tierId) ?? baseTier;
  const next = nextTier(tier.id, sum, program.tiers);
  const asOf = [state?.appliedAsOf, watermark].filter((date): date is string => Boolean(date)).sort().pop() ?? null;
  return {
    groupId,
    name: view.name,
    members: view.members,
    asOf,
    sum90d: formatMinor(sum),
    tier: { id: tier.id, name: tier.name[view.locale], discountPercent: tier.discountPercent, benefits: tier.benefits[view.locale] },
    tierSince: state?.tierSince ?? null,
    nextTier: next ? { id: next.tier.id, threshold: formatMinor(next.tier.threshold), remaining: formatMinor(next.remaining) } : null,
  };
}
