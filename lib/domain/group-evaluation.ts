import type { BusinessDate } from './business-date.js';
import type { DaySums } from './day-sums.js';
import type { MinorUnits } from './money.js';
import { dueNotices, noticeFor, type Notice, type NoticedOn, type NoticeKind, type NoticeSettings } from './notices.js';
import { projectOutlook, type Outlook } from './outlook.js';
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

/** A group's window as a run's map phase found it: the sums, and the qualifying amounts by day (for the outlook). */
export interface WindowSums extends GroupSums {
  days: DaySums;
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
  /** Where the group is heading if it buys nothing more, as projected by its last evaluation (§4.4). */
  outlook: Outlook;
  /** When it last got each kind of notice (the cool-down). */
  noticedOn: NoticedOn;
  /** Notices recorded but not yet confirmed published to the email queue (their outbox). */
  pendingNotices: Notice[];
}

/** The rules a run evaluates groups by: the tier policy, the window's length and the notice settings of its program version. */
export interface EvaluationRules extends TierPolicy {
  readonly windowDays: number;
  readonly notices: NoticeSettings;
}

export type Evaluation =
  | { kind: 'skipped'; reason: 'evaluated-at-later-date' }
  | { kind: 'evaluated'; state: GroupState; change?: TierChange; dueNotices: NoticeKind[] };

/** What evaluating one group for as-of date D needs. */
export interface GroupEvaluationInput {
  groupId: string;
  sums: WindowSums;
  asOf: BusinessDate;
  previous: GroupState | undefined;
  floor: TierFloor | undefined;
  policy: EvaluationRules;
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
 * Evaluates one group for as-of date D by the tier policy, records the tier change if it moved, projects
 * its outlook and says which notices are due (recordNotices records those that can be sent). A D older
 * than the group's last applied D changes nothing; evaluating the same D again starts from where the group
 * stood before D (so corrected data is applied, and a countdown never advances twice), while the notices it
 * got stay counted (a rerun sends none again); a first evaluation into the base tier is not a change.
 */
export function evaluateGroup(input: GroupEvaluationInput): Evaluation {
  const { groupId, sums, asOf, previous, policy } = input;
  if (previous && previous.appliedAsOf > asOf) return { kind: 'skipped', reason: 'evaluated-at-later-date' };
  const before = !previous ? undefined : previous.appliedAsOf === asOf && previous.prior !== undefined ? (previous.prior ?? undefined) : standingOf(previous);
  const { standing, reason } = decideStanding(policy, before, sums.qualifyingSum, input.floor, asOf);
  const { outlook, countdownFrom } = projectOutlook({ policy, standing, qualifyingSum: sums.qualifyingSum, days: sums.days, windowDays: policy.windowDays, floor: input.floor, asOf });
  const fromTierId = previous?.tierId ?? policy.tiers[0]!.id;
  const pending = previous?.pending ?? [];
  const noticedOn = previous?.noticedOn ?? {};
  const state: GroupState = {
    groupId,
    sum: sums.sum,
    qualifyingSum: sums.qualifyingSum,
    ...standing,
    appliedAsOf: asOf,
    prior: before ?? null,
    changeCount: previous?.changeCount ?? 0,
    pending,
    outlook,
    noticedOn,
    pendingNotices: previous?.pendingNotices ?? [],
  };
  const changedTier = standing.tierId !== fromTierId;
  const due = dueNotices({ settings: policy.notices, tiers: policy.tiers, tierId: standing.tierId, qualifyingSum: sums.qualifyingSum, countdownFrom, noticedOn, changedTier, asOf });
  if (!changedTier) return { kind: 'evaluated', state, dueNotices: due };
  const seq = state.changeCount + 1;
  const change: TierChange = {
    eventId: `${groupId}/${asOf}/${seq}`,
    groupId,
    asOf,
    from: fromTierId,
    to: standing.tierId,
    direction: direction(input, fromTierId, standing.tierId),
    sum: sums.sum,
    qualifyingSum: sums.qualifyingSum,
    reason,
    seq,
  };
  return { kind: 'evaluated', state: { ...state, changeCount: seq, pending: [...pending, change] }, change, dueNotices: due };
}

/** A state with the given notices of D in its outbox, and D as when it last got each of them (the cool-down). */
export function recordNotices(state: GroupState, kinds: readonly NoticeKind[], policy: TierPolicy, asOf: BusinessDate): GroupState {
  if (kinds.length === 0) return state;
  const notices = kinds.map((kind) => noticeFor(kind, state, policy.tiers, asOf));
  const noticedOn = { ...state.noticedOn, ...Object.fromEntries(kinds.map((kind) => [kind, asOf])) };
  return { ...state, noticedOn, pendingNotices: [...state.pendingNotices, ...notices] };
}

/** A group worth keeping in the active index: it has a sum, a paid tier or an unpublished change or notice. */
export function isActive(state: GroupState, baseTierId: string): boolean {
  return state.sum > 0n || state.qualifyingSum > 0n || state.tierId !== baseTierId || state.pending.length > 0 || state.pendingNotices.length > 0;
}
