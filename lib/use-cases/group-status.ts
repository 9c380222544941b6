import { getGroupState } from '../adapters/dynamodb/group-state.js';
import { latestCompletedAsOf } from '../adapters/dynamodb/runs.js';
import { program } from '../config.js';
import { formatMinor } from '../domain/money.js';
import { nextTier } from '../domain/tiers.js';
import { findGroup } from './group-directory.js';

/** The §3.1 group status body. */
export interface GroupStatus {
  groupId: string;
  name: string;
  members: string[];
  asOf: string | null;
  sum90d: string;
  tier: { id: string; name: string; discountPercent: number; benefits: string[] };
  tierSince: string | null;
  nextTier: { id: string; threshold: string; remaining: string } | null;
}

/**
 * A group's status: membership now, and sum and tier as of the last run that evaluated it. A group no run
 * needed to evaluate (no in-window orders) stands at zero in the base tier as of the latest run.
 */
export async function getGroupStatus(groupId: string): Promise<GroupStatus | undefined> {
  const [group, state, latestAsOf] = await Promise.all([findGroup(groupId), getGroupState(groupId), latestCompletedAsOf()]);
  if (!group && !state) return undefined;
  const view = group ?? { groupId, name: groupId, members: [groupId], locale: program.defaultLocale };
  const baseTier = program.tiers[0]!;
  const stateIsCurrent = state && (state.sum > 0n || state.tierId !== baseTier.id || !latestAsOf || state.appliedAsOf >= latestAsOf);
  const sum = stateIsCurrent ? state.sum : 0n;
  const tier = program.tiers.find((candidate) => candidate.id === (stateIsCurrent ? state.tierId : baseTier.id)) ?? baseTier;
  const next = nextTier(tier.id, sum, program.tiers);
  return {
    groupId,
    name: view.name,
    members: view.members,
    asOf: stateIsCurrent ? state.appliedAsOf : latestAsOf,
    sum90d: formatMinor(sum),
    tier: { id: tier.id, name: tier.name[view.locale], discountPercent: tier.discountPercent, benefits: tier.benefits[view.locale] },
    tierSince: stateIsCurrent ? state.tierSince : state?.tierSince ?? null,
    nextTier: next ? { id: next.tier.id, threshold: formatMinor(next.tier.threshold), remaining: formatMinor(next.remaining) } : null,
  };
}
