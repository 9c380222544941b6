import type { BusinessDate } from './business-date.js';
import { discountOn, type MinorUnits } from './money.js';
import { decideStanding, type PolicyTier, type TierFloor, type TierPolicy } from './tier-policy.js';

/** Groups, their real 90-day sum and what their discounts cost, in one tier under one program. */
export interface TierTally {
  groups: number;
  sum: MinorUnits;
  discountCost: MinorUnits;
}

/** How a group moves from its tier under the current program to its tier under the candidate. */
export type Move = 'up' | 'down' | 'same';

/** What one program makes of one group: its tier, and the cost of its discount on its purchases. */
export interface ProgramOutcome {
  tier: PolicyTier;
  discountCost: MinorUnits;
}

/**
 * The tier a program gives a group for as-of date D by entry thresholds and a floor in force — no
 * countdowns, no history (§4.5) — and what its discount costs on the group's real sum, half-up per group.
 */
export function entryOutcome(policy: TierPolicy, sum: MinorUnits, qualifyingSum: MinorUnits, floor: TierFloor | undefined, asOf: BusinessDate): ProgramOutcome {
  const { standing } = decideStanding(policy, undefined, qualifyingSum, floor, asOf);
  const tier = policy.tiers.find((candidate) => candidate.id === standing.tierId)!;
  return { tier, discountCost: discountOn(sum, tier.discountPercent) };
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

/** What a simulation counts over some groups: per program the tiers, and the moves between them. */
export interface SimulationTallies {
  groups: number;
  current: Record<string, TierTally>;
  candidate: Record<string, TierTally>;
  moves: Record<Move, number>;
  /** matrix[from][to]: groups in `from` under the current program and in `to` under the candidate. */
  matrix: Record<string, Record<string, number>>;
}

/** Tallies before any group. */
export function emptyTallies(): SimulationTallies {
  return { groups: 0, current: {}, candidate: {}, moves: { up: 0, down: 0, same: 0 }, matrix: {} };
}

function tally(tallies: Record<string, TierTally>, tierId: string, sum: MinorUnits, discountCost: MinorUnits): void {
  const entry = (tallies[tierId] ??= { groups: 0, sum: 0n, discountCost: 0n });
  entry.groups++;
  entry.sum += sum;
  entry.discountCost += discountCost;
}

/** Counts one group in: its tier and cost under each program (each on its own window's sum), and its move. */
export function tallyGroup(
  tallies: SimulationTallies,
  current: ProgramOutcome & { sum: MinorUnits },
  candidate: ProgramOutcome & { sum: MinorUnits },
): Move {
  tallies.groups++;
  tally(tallies.current, current.tier.id, current.sum, current.discountCost);
  tally(tallies.candidate, candidate.tier.id, candidate.sum, candidate.discountCost);
  const move = moveBetween(current.tier, candidate.tier);
  tallies.moves[move]++;
  const row = (tallies.matrix[current.tier.id] ??= {});
  row[candidate.tier.id] = (row[candidate.tier.id] ?? 0) + 1;
  return move;
}

/** The tallies of several group shards together. */
export function mergeTallies(parts: readonly SimulationTallies[]): SimulationTallies {
  const merged = emptyTallies();
  for (const part of parts) {
    merged.groups += part.groups;
    for (const side of ['current', 'candidate'] as const) {
      for (const [tierId, { groups, sum, discountCost }] of Object.entries(part[side])) {
        const entry = (merged[side][tierId] ??= { groups: 0, sum: 0n, discountCost: 0n });
        entry.groups += groups;
        entry.sum += sum;
        entry.discountCost += discountCost;
      }
    }
    for (const move of ['up', 'down', 'same'] as const) merged.moves[move] += part.moves[move];
    for (const [from, row] of Object.entries(part.matrix)) {
      const mergedRow = (merged.matrix[from] ??= {});
      for (const [to, count] of Object.entries(row)) mergedRow[to] = (mergedRow[to] ?? 0) + count;
    }
  }
  return merged;
}

/** The total discount cost of one program's tallies. */
export function totalDiscountCost(tallies: Record<string, TierTally>): MinorUnits {
  return Object.values(tallies).reduce((total, { discountCost }) => total + discountCost, 0n);
}

/**
 * The tiers a tier table lists, in order: the candidate's tiers as it orders them, then the current
 * program's tiers the candidate drops.
 */
export function tableTierIds(current: readonly { id: string }[], candidate: readonly { id: string }[]): string[] {
  const candidateIds = candidate.map((tier) => tier.id);
  return [...candidateIds, ...current.map((tier) => tier.id).filter((id) => !candidateIds.includes(id))];
}
