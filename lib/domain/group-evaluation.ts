import type { BusinessDate } from './business-date.js';
import type { MinorUnits } from './money.js';
import { tierFor, tierRank, type TierThreshold } from './tiers.js';

/** A move of a group from one tier to another, recorded by a run (§2.6). */
export interface TierChange {
  /** `groupId/asOf/seq`: unique per change, identical on every retry of the same change. */
  eventId: string;
  groupId: string;
  asOf: BusinessDate;
  from: string;
  to: string;
  direction: 'up' | 'down';
  sum: MinorUnits;
  /** The group's change counter: 1 for its first change. */
  seq: number;
}

/** What the program knows of a group after its last evaluation. */
export interface GroupState {
  groupId: string;
  sum: MinorUnits;
  tierId: string;
  tierSince: BusinessDate;
  appliedAsOf: BusinessDate;
  changeCount: number;
  /** Changes recorded but not yet confirmed published to the fan-out queues (the outbox). */
  pending: TierChange[];
}

export type Evaluation =
  | { kind: 'skipped'; reason: 'evaluated-at-later-date' }
  | { kind: 'evaluated'; state: GroupState; change?: TierChange };

/**
 * Evaluates one group for as-of date D: its tier by the sum, and the tier change if it moved. A D older
 * than the group's last applied D changes nothing; a first evaluation into the base tier is not a change.
 */
export function evaluateGroup(groupId: string, sum: MinorUnits, asOf: BusinessDate, previous: GroupState | undefined, tiers: readonly TierThreshold[]): Evaluation {
  if (previous && previous.appliedAsOf > asOf) return { kind: 'skipped', reason: 'evaluated-at-later-date' };
  const tier = tierFor(sum, tiers);
  const fromTierId = previous?.tierId ?? tiers[0]!.id;
  const base = { groupId, sum, appliedAsOf: asOf, pending: previous?.pending ?? [] };
  if (tier.id === fromTierId) {
    const state = { ...base, tierId: tier.id, tierSince: previous?.tierSince ?? asOf, changeCount: previous?.changeCount ?? 0 };
    return { kind: 'evaluated', state };
  }
  const seq = (previous?.changeCount ?? 0) + 1;
  const change: TierChange = {
    eventId: `${groupId}/${asOf}/${seq}`,
    groupId,
    asOf,
    from: fromTierId,
    to: tier.id,
    direction: tierRank(tier.id, tiers) > tierRank(fromTierId, tiers) ? 'up' : 'down',
    sum,
    seq,
  };
  const state = { ...base, tierId: tier.id, tierSince: asOf, changeCount: seq, pending: [...base.pending, change] };
  return { kind: 'evaluated', state, change };
}

/** A group worth keeping in the active index: it has a sum, a paid tier or an unpublished change. */
export function isActive(state: GroupState, baseTierId: string): boolean {
  return state.sum > 0n || state.tierId !== baseTierId || state.pending.length > 0;
}
