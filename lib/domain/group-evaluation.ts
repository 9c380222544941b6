import type { BusinessDate } from './business-date.js';
import type { MinorUnits } from './money.js';
import { decideStanding, type ChangeReason, type TierFloor, type TierPolicy, type TierStanding } from './tier-policy.js';

/** A move of a group from one tier to another, recorded by a run (§2.6). */
export interface TierChange {
  /** `groupId/asOf/seq`: unique per change, identical on every retry of the same change. */
  eventId: string;
  groupId: string;
  asOf: BusinessDate;
  from: string;
  to: string;
  direction: 'up' | 'down';
  /** The 90-day sum of real purchases. */
  sum: MinorUnits;
  /** The 90-day qualifying sum (focus brands weighted, §4.3): what decided the tier. */
  qualifyingSum: MinorUnits;
  reason: ChangeReason;
  /** The group's change counter: 1 for its first change. */
  seq: number;
}

/** A group's 90-day sums: real purchases, and the qualifying sum tiers are decided by. */
export interface GroupSums {
  sum: MinorUnits;
  qualifyingSum: MinorUnits;
}

/** What the program knows of a group after its last evaluation. */
export interface GroupState extends GroupSums, TierStanding {
  groupId: string;
  appliedAsOf: BusinessDate;
  /**
   * Where the group stood before the evaluation at `appliedAsOf` (null: it had no state), so evaluating
   * that date again starts from the same place; undefined in states written before it was kept.
   */
  prior?: TierStanding | null;
  changeCount: number;
  /** Changes recorded but not yet confirmed published to the fan-out queues (the outbox). */
  pending: TierChange[];
}

export type Evaluation =
  | { kind: 'skipped'; reason: 'evaluated-at-later-date' }
  | { kind: 'evaluated'; state: GroupState; change?: TierChange };

/** What evaluating one group for as-of date D needs. */
export interface GroupEvaluationInput {
  groupId: string;
  sums: GroupSums;
  asOf: BusinessDate;
  previous: GroupState | undefined;
  floor: TierFloor | undefined;
  policy: TierPolicy;
  /** The discount of a tier the policy no longer has, from the version that had it (for the direction). */
  retiredDiscount: (tierId: string) => number | undefined;
}

/** The standing part of a group state. */
export function standingOf(state: TierStanding): TierStanding {
  return { tierId: state.tierId, tierSince: state.tierSince, belowRetainSince: state.belowRetainSince };
}

/**
 * A stored state as it stands at a later date at which a run evaluated its shard without rewriting it
 * (nothing about it changed then): evaluated at that date, from where it already stood.
 */
export function asEvaluatedAt(state: GroupState, date: BusinessDate | null): GroupState {
  return date && date > state.appliedAsOf ? { ...state, appliedAsOf: date, prior: standingOf(state) } : state;
}

function direction(input: GroupEvaluationInput, from: string, to: string): TierChange['direction'] {
  const { tiers } = input.policy;
  const fromRank = tiers.findIndex((tier) => tier.id === from);
  const toRank = tiers.findIndex((tier) => tier.id === to);
  if (fromRank >= 0) return toRank > fromRank ? 'up' : 'down';
  // A tier the version dropped: up when the new discount is higher (§4.1).
  return tiers[toRank]!.discountPercent > (input.retiredDiscount(from) ?? Number.POSITIVE_INFINITY) ? 'up' : 'down';
}

/**
 * Evaluates one group for as-of date D by the tier policy, and records the tier change if it moved. A D
 * older than the group's last applied D changes nothing; evaluating the same D again starts from where the
 * group stood before D (so corrected data is applied, and a countdown never advances twice); a first
 * evaluation into the base tier is not a change.
 */
export function evaluateGroup(input: GroupEvaluationInput): Evaluation {
  const { groupId, sums, asOf, previous, policy } = input;
  if (previous && previous.appliedAsOf > asOf) return { kind: 'skipped', reason: 'evaluated-at-later-date' };
  const before = !previous ? undefined : previous.appliedAsOf === asOf && previous.prior !== undefined ? (previous.prior ?? undefined) : standingOf(previous);
  const { standing, reason } = decideStanding(policy, before, sums.qualifyingSum, input.floor, asOf);
  const fromTierId = previous?.tierId ?? policy.tiers[0]!.id;
  const pending = previous?.pending ?? [];
  const state: GroupState = { groupId, ...sums, ...standing, appliedAsOf: asOf, prior: before ?? null, changeCount: previous?.changeCount ?? 0, pending };
  if (standing.tierId === fromTierId) return { kind: 'evaluated', state };
  const seq = state.changeCount + 1;
  const change: TierChange = {
    eventId: `${groupId}/${asOf}/${seq}`,
    groupId,
    asOf,
    from: fromTierId,
    to: standing.tierId,
    direction: direction(input, fromTierId, standing.tierId),
    ...sums,
    reason,
    seq,
  };
  return { kind: 'evaluated', state: { ...state, changeCount: seq, pending: [...pending, change] }, change };
}

/** A group worth keeping in the active index: it has a sum, a paid tier or an unpublished change. */
export function isActive(state: GroupState, baseTierId: string): boolean {
  return state.sum > 0n || state.qualifyingSum > 0n || state.tierId !== baseTierId || state.pending.length > 0;
}
