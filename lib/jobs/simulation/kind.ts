import { readShardFloors } from '../../adapters/dynamodb/group-floors.js';
import type { Job } from '../../adapters/dynamodb/jobs.js';
import type { OrderFact } from '../../adapters/dynamodb/order-window.js';
import { addDays, type BusinessDate } from '../../domain/business-date.js';
import { formatMinor, type MinorUnits } from '../../domain/money.js';
import { qualifyingAmount } from '../../domain/qualifying.js';
import { emptyTallies, entryTier, mergeTallies, tableTierIds, tallyGroup, totalDiscountCost, type SimulationTallies } from '../../domain/simulation.js';
import { distributionFromRecord, distributionToRecord, type TierShare } from '../../domain/tier-distribution.js';
import { multipliersByBrand, parseProgramConfig, type ProgramConfig } from '../../program/program-config.js';
import { loadProgramCatalog } from '../../program/program-versions.js';
import { labelGroups } from '../../use-cases/group-directory.js';
import type { Aggregation, JobKind, ReduceShardInput } from '../engine/job-kind.js';

/** How one program reads the window: its dates, the statuses it counts, its focus brands. */
interface ProgramWindow {
  program: ProgramConfig;
  from: BusinessDate;
  countedStatuses: ReadonlySet<string>;
  multipliers: ReadonlyMap<string, bigint>;
}

/** What every task of a simulation needs: the program in effect at D (current) and the posted candidate. */
export interface SimulationContext {
  asOf: BusinessDate;
  programVersion: number;
  current: ProgramWindow;
  candidate: ProgramWindow;
}

/** A group's sums as each program reads them: real and qualifying, current and candidate. */
export interface SimulationSums {
  sum: MinorUnits;
  qualifyingSum: MinorUnits;
  candidateSum: MinorUnits;
  candidateQualifyingSum: MinorUnits;
}

/** A mover as a reduce shard keeps it for the finish (money in minor units, to sort by). */
interface MoverRow {
  groupId: string;
  name: string;
  sum: string;
  qualifyingSum: string;
  from: string;
  to: string;
}

function programWindow(program: ProgramConfig, asOf: BusinessDate): ProgramWindow {
  return {
    program,
    from: addDays(asOf, -(program.windowDays - 1)),
    countedStatuses: new Set(program.countedStatuses),
    multipliers: multipliersByBrand(program),
  };
}

async function simulationContext(job: Job): Promise<SimulationContext> {
  const programVersion = job.params.programVersion as number;
  const current = (await loadProgramCatalog()).numbered(programVersion);
  if (!current) throw new Error(`Simulation ${job.jobId} compares with program version ${programVersion}, which is not stored`);
  const candidate = parseProgramConfig(job.params.candidate, `candidate program of simulation ${job.jobId}`);
  return { asOf: job.asOf, programVersion, current: programWindow(current.program, job.asOf), candidate: programWindow(candidate, job.asOf) };
}

/** An order's real and qualifying amounts as one program counts them (nothing outside its window or statuses). */
function counted(order: OrderFact, window: ProgramWindow): { amount: MinorUnits; qualifying: MinorUnits } | undefined {
  if (order.date < window.from || !window.countedStatuses.has(order.status)) return undefined;
  const qualifying = window.multipliers.size > 0 ? qualifyingAmount(order.amount, order.brandLines, window.multipliers) : order.amount;
  return { amount: order.amount, qualifying };
}

/**
 * The simulation's map aggregate: each program's sums of the group's orders, each by its own window,
 * counted statuses and focus-brand multipliers (the same sums when the candidate changes only tiers).
 */
export function addOrderToSimulationSums(sums: SimulationSums, order: OrderFact, context: SimulationContext): void {
  const current = counted(order, context.current);
  if (current) {
    sums.sum += current.amount;
    sums.qualifyingSum += current.qualifying;
  }
  const candidate = counted(order, context.candidate);
  if (candidate) {
    sums.candidateSum += candidate.amount;
    sums.candidateQualifyingSum += candidate.qualifying;
  }
}

const simulationSums: Aggregation<SimulationContext, SimulationSums> = {
  empty: () => ({ sum: 0n, qualifyingSum: 0n, candidateSum: 0n, candidateQualifyingSum: 0n }),
  addOrder: addOrderToSimulationSums,
  merge: (into, other) => {
    into.sum += other.sum;
    into.qualifyingSum += other.qualifyingSum;
    into.candidateSum += other.candidateSum;
    into.candidateQualifyingSum += other.candidateQualifyingSum;
  },
  encode: (sums) => [sums.sum, sums.qualifyingSum, sums.candidateSum, sums.candidateQualifyingSum].map(String),
  decode: (encoded) => {
    const [sum, qualifyingSum, candidateSum, candidateQualifyingSum] = (encoded as string[]).map(BigInt) as [bigint, bigint, bigint, bigint];
    return { sum, qualifyingSum, candidateSum, candidateQualifyingSum };
  },
};

/** Tallies as JSON (money as minor-units strings) for the trip from reduce to finish, and back. */
type TalliesRecord = Omit<SimulationTallies, 'current' | 'candidate'> & Record<'current' | 'candidate', ReturnType<typeof distributionToRecord>>;
const talliesToRecord = (tallies: SimulationTallies): TalliesRecord => ({
  ...tallies,
  current: distributionToRecord(tallies.current),
  candidate: distributionToRecord(tallies.candidate),
});
const talliesFromRecord = (record: TalliesRecord): SimulationTallies => ({
  ...record,
  current: distributionFromRecord(record.current),
  candidate: distributionFromRecord(record.candidate),
});

/**
 * The simulation's reduce: every group of the shard with a purchase in either program's window or a floor
 * in force, put in a tier by each program's entry thresholds and the floor (no countdowns, §4.5), with the
 * cost of its discount on its purchases; counts tiers and moves and keeps the movers, named. Reads no
 * group state and writes none.
 */
async function simulateGroupShard({ job, context, shard, groups: merged }: ReduceShardInput<SimulationContext, SimulationSums>) {
  const [shardFloors, groups] = await Promise.all([readShardFloors(shard), merged]);
  const floors = new Map([...shardFloors].filter(([, floor]) => floor.until >= job.asOf));
  for (const groupId of floors.keys()) if (!groups.has(groupId)) groups.set(groupId, simulationSums.empty(context));
  const tallies = emptyTallies();
  const movers: Omit<MoverRow, 'name'>[] = [];
  for (const [groupId, sums] of groups) {
    const floor = floors.get(groupId);
    if (!floor && sums.sum === 0n && sums.qualifyingSum === 0n && sums.candidateSum === 0n && sums.candidateQualifyingSum === 0n) continue;
    const current = entryTier(context.current.program, sums.qualifyingSum, floor, job.asOf);
    const candidate = entryTier(context.candidate.program, sums.candidateQualifyingSum, floor, job.asOf);
    tallyGroup(tallies, { tier: current, sum: sums.sum }, { tier: candidate, sum: sums.candidateSum });
    if (current.id !== candidate.id) {
      movers.push({ groupId, sum: sums.sum.toString(), qualifyingSum: sums.candidateQualifyingSum.toString(), from: current.id, to: candidate.id });
    }
  }
  const labels = await labelGroups(movers.map((mover) => mover.groupId));
  const rows: MoverRow[] = movers.map((mover) => ({ ...mover, name: labels.get(mover.groupId)!.name }));
  return { result: talliesToRecord(tallies), rows };
}

/** Movers largest sum first (then by group id, so the order is stable), in the API's form. */
function moversInOrder(rows: MoverRow[]) {
  return rows
    .sort((a, b) => {
      const [x, y] = [BigInt(a.sum), BigInt(b.sum)];
      return x === y ? a.groupId.localeCompare(b.groupId) : x > y ? -1 : 1;
    })
    .map(({ groupId, name, sum, qualifyingSum, from, to }) => ({ groupId, name, sum90d: formatMinor(BigInt(sum)), qualifyingSum90d: formatMinor(BigInt(qualifyingSum)), from, to }));
}

/** The §4.5 summary of the merged tallies: tier table, moves with their matrix, and the discount cost. */
function simulationSummary(context: SimulationContext, tallies: SimulationTallies) {
  const side = (tally: TierShare | undefined) => ({ groups: tally?.groups ?? 0, sum90d: formatMinor(tally?.sum ?? 0n), discountCost: formatMinor(tally?.discountCost ?? 0n) });
  const [current, candidate] = [totalDiscountCost(tallies.current), totalDiscountCost(tallies.candidate)];
  return {
    programVersion: context.programVersion,
    groups: tallies.groups,
    tiers: tableTierIds(context.current.program.tiers, context.candidate.program.tiers).map((id) => ({
      id,
      current: side(tallies.current.get(id)),
      candidate: side(tallies.candidate.get(id)),
    })),
    moves: { ...tallies.moves, matrix: tallies.matrix },
    discountCost: { current: formatMinor(current), candidate: formatMinor(candidate), delta: formatMinor(candidate - current) },
  };
}

/** What a succeeded simulation's summary holds. */
export type SimulationResult = ReturnType<typeof simulationSummary>;

/**
 * A what-if simulation (§4.5) as a job: the candidate program against the one in effect at D, on the same
 * live sums, read as a run for D reads them. It never takes the run lease and writes no group state,
 * records no change and sends nothing, so it may run beside a recalculation.
 */
export const simulation: JobKind<SimulationContext, SimulationSums> = {
  name: 'simulation',
  keepsResults: true,
  prepare: simulationContext,
  window: ({ asOf, current, candidate }) => ({
    from: current.from < candidate.from ? current.from : candidate.from,
    to: asOf,
    withLines: current.multipliers.size > 0 || candidate.multipliers.size > 0,
  }),
  aggregation: simulationSums,
  reduce: simulateGroupShard,
  finish: async ({ context, shards }) => {
    const tallies = mergeTallies(shards.map((shard) => talliesFromRecord(shard.result as TalliesRecord)));
    return { summary: simulationSummary(context, tallies), rows: moversInOrder(shards.flatMap((shard) => shard.rows as MoverRow[])) };
  },
};
