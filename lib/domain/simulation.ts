import type { BusinessDate } from './business-date.js';
import type { MinorUnits } from './money.js';
import { countGroup, mergeDistributions, type TierDistribution } from './tier-distribution.js';
import { decideStanding, type PolicyTier, type TierFloor, type TierPolicy } from './tier-policy.js';

/** How a group moves from its tier under the current program to its tier under the candidate. */
export type Move = 'up' | 'down' | 'same';

/**
 * The tier a program gives a group for as-of date D by entry thresholds and a floor in force — no
 * countdowns, no history (§4.5): what a simulation compares, and what a report calls the tier at a date.
 */
export function entryTier(policy: TierPolicy, qualifyingSum: MinorUnits, floor: TierFloor | undefined, asOf: BusinessDate): PolicyTier {
  const { standing } = decideStanding(policy, undefined, qualifyingSum, floor, asOf);
  return policy.tiers.find((tier) => tier.id === standing.tierId)!;
}

/**
 * Up when the candidate's tier gives a larger discount than the current one (or the same discount from a
 * higher threshold), down when a smaller; the same tier id is no move. Tiers of two programs compare by
 * what they give, since one program may add, drop or reorder tiers.
 */
export function moveBetween(from: PolicyTier, to: PolicyTier): Move {
  if (from.id === to.id) return 'same';
  if (to.discountPercent !== from.discountPercent) return to.discountPercent > from.discountPercent ? 'up' : 'down';
  return to.threshold > from.threshold ? 'up' : 'down';
}

/** What a simulation counts over some groups: per program the tiers (groups, sums, discount costs), and the moves. */
export interface SimulationTallies {
  groups: number;
  current: TierDistribution;
  candidate: TierDistribution;
  moves: Record<Move, number>;
  /** matrix[from][to]: groups in `from` under the current program and in `to` under the candidate. */
  matrix: Record<string, Record<string, number>>;
}

/** Tallies before any group. */
export function emptyTallies(): SimulationTallies {
  return { groups: 0, current: new Map(), candidate: new Map(), moves: { up: 0, down: 0, same: 0 }, matrix: {} };
}

/**
 * Counts one group in: under each program its tier, its real sum (each program's window) and the cost of
 * its discount on that sum, half-up per group; and its move. Returns the move.
 */
export function tallyGroup(tallies: SimulationTallies, current: { tier: PolicyTier; sum: MinorUnits }, candidate: { tier: PolicyTier; sum: MinorUnits }): Move {
  tallies.groups++;
  countGroup(tallies.current, current.tier.id, current.sum, current.tier.discountPercent);
  countGroup(tallies.candidate, candidate.tier.id, candidate.sum, candidate.tier.discountPercent);
  const move = moveBetween(current.tier, candidate.tier);
  tallies.moves[move]++;
  const row = (tallies.matrix[current.tier.id] ??= {});
  row[candidate.tier.id] = (row[candidate.tier.id] ?? 0) + 1;
  return move;
}

/** The tallies of several group shards together. */
export function mergeTallies(parts: readonly SimulationTallies[]): SimulationTallies {
  const merged = emptyTallies();
  merged.current = mergeDistributions(parts.map((part) => part.current));
  merged.candidate = mergeDistributions(parts.map((part) => part.candidate));
  for (const part of parts) {
    merged.groups += part.groups;
    for (const move of ['up', 'down', 'same'] as const) merged.moves[move] += part.moves[move];
    for (const [from, row] of Object.entries(part.matrix)) {
      const mergedRow = (merged.matrix[from] ??= {});
      for (const [to, count] of Object.entries(row)) mergedRow[to] = (mergedRow[to] ?? 0) + count;
    }
  }
  return merged;
}

/** The total discount cost of one program's tiers. */
export function totalDiscountCost(distribution: TierDistribution): MinorUnits {
  return [...distribution.values()].reduce((total, { discountCost }) => total + discountCost, 0n);
}

/**
 * The tiers a tier table lists, in order: the candidate's tiers as it orders them, then the current
 * program's tiers the candidate drops.
 */
export function tableTierIds(current: readonly { id: string }[], candidate: readonly { id: string }[]): string[] {
  const candidateIds = candidate.map((tier) => tier.id);
  return [...candidateIds, ...current.map((tier) => tier.id).filter((id) => !candidateIds.includes(id))];
}
