import { readShardFloors, type GroupFloor } from '../../adapters/dynamodb/group-floors.js';
import type { Job } from '../../adapters/dynamodb/jobs.js';
import { scanGroupRecords } from '../../adapters/dynamodb/master-data.js';
import type { OrderFact } from '../../adapters/dynamodb/order-window.js';
import { addDays, daysBetween, type BusinessDate } from '../../domain/business-date.js';
import { formatMinor, type MinorUnits } from '../../domain/money.js';
import { qualifyingAmount } from '../../domain/qualifying.js';
import { quintileScores, rfmSegment, RFM_SEGMENTS, type RfmScore, type RfmSegment } from '../../domain/rfm.js';
import { entryTier } from '../../domain/simulation.js';
import { multipliersByBrand, type ProgramConfig } from '../../program/program-config.js';
import { loadProgramCatalog } from '../../program/program-versions.js';
import { labelGroupsWithoutRecord } from '../../use-cases/group-directory.js';
import type { Aggregation, JobKind, MapShardInput, ReduceShardInput } from '../engine/job-kind.js';

/** The days of counted orders a dormant report looks at, ending D (§4.6). */
export const REPORT_DAYS = 365;
/** The win-back rate looks at the groups in the base tier this many days before D (§4.6). */
export const WIN_BACK_DAYS = 30;

/** A program's window ending a date: what decides a group's tier at that date. */
interface TierWindow {
  asOf: BusinessDate;
  program: ProgramConfig;
  programVersion: number;
  from: BusinessDate;
  countedStatuses: ReadonlySet<string>;
  multipliers: ReadonlyMap<string, bigint>;
}

/** What every task of a dormant report needs: the 365-day window, and the tier windows at D and at D−30. */
export interface DormantReportContext {
  asOf: BusinessDate;
  yearFrom: BusinessDate;
  atAsOf: TierWindow;
  before: TierWindow;
}

/** A group's counted orders as the report needs them, and its master record where one was scanned. */
export interface DormantAggregate {
  orders365: number;
  sum365: MinorUnits;
  lastOrderDate: BusinessDate | null;
  /** Real and qualifying sums of the window ending D, by the program in effect at D. */
  sum90: MinorUnits;
  qualifying90: MinorUnits;
  /** The qualifying sum of the window ending D−30, by the program in effect then. */
  qualifyingBefore: MinorUnits;
  /** Counted orders in (D−30, D]: it came back. */
  ordersSinceBefore: number;
  record?: { name: string; contacts: string[] };
}

/** A report row as a reduce shard keeps it for the finish (money in minor units, to rank by). */
export interface DormantShardRow {
  groupId: string;
  name: string;
  contacts: string[];
  lastOrderDate: BusinessDate | null;
  orders365: number;
  sum365: string;
  sum90: string;
  toLowestPaidTier: string | null;
}

/** A row as GET /admin/reports/{id}/rows lists it (§4.6). */
export interface DormantRow {
  groupId: string;
  name: string;
  contacts: string[];
  lastOrderDate: BusinessDate | null;
  daysSinceLastOrder: number | null;
  orders365: number;
  sum365: string;
  sum90d: string;
  toLowestPaidTier: string | null;
  r: RfmScore;
  f: RfmScore;
  m: RfmScore;
  segment: RfmSegment;
}

async function tierWindow(asOf: BusinessDate): Promise<TierWindow> {
  const version = (await loadProgramCatalog()).inEffectAt(asOf);
  const { program } = version;
  return {
    asOf,
    program,
    programVersion: version.version,
    from: addDays(asOf, -(program.windowDays - 1)),
    countedStatuses: new Set(program.countedStatuses),
    multipliers: multipliersByBrand(program),
  };
}

async function dormantReportContext(job: Job): Promise<DormantReportContext> {
  const [atAsOf, before] = await Promise.all([tierWindow(job.asOf), tierWindow(addDays(job.asOf, -WIN_BACK_DAYS))]);
  return { asOf: job.asOf, yearFrom: addDays(job.asOf, -(REPORT_DAYS - 1)), atAsOf, before };
}

const qualifying = (order: OrderFact, window: TierWindow) =>
  window.multipliers.size > 0 ? qualifyingAmount(order.amount, order.brandLines, window.multipliers) : order.amount;

/**
 * The report's map aggregate: the group's counted orders of the 365 days ending D (by the statuses of the
 * program in effect at D), its sums of the window ending D, its qualifying sum of the window ending
 * D−30 (by the program in effect then), and whether it ordered in (D−30, D].
 */
export function addOrderToDormantAggregate(aggregate: DormantAggregate, order: OrderFact, context: DormantReportContext): void {
  const { atAsOf, before } = context;
  if (order.date >= context.yearFrom && atAsOf.countedStatuses.has(order.status)) {
    aggregate.orders365++;
    aggregate.sum365 += order.amount;
    if (!aggregate.lastOrderDate || order.date > aggregate.lastOrderDate) aggregate.lastOrderDate = order.date;
    if (order.date > before.asOf) aggregate.ordersSinceBefore++;
    if (order.date >= atAsOf.from) {
      aggregate.sum90 += order.amount;
      aggregate.qualifying90 += qualifying(order, atAsOf);
    }
  }
  if (order.date >= before.from && order.date <= before.asOf && before.countedStatuses.has(order.status)) {
    aggregate.qualifyingBefore += qualifying(order, before);
  }
}

type EncodedDormant = [number, string, BusinessDate | null, string, string, string, number, DormantAggregate['record'] | null];

const dormantAggregation: Aggregation<DormantReportContext, DormantAggregate> = {
  empty: () => ({ orders365: 0, sum365: 0n, lastOrderDate: null, sum90: 0n, qualifying90: 0n, qualifyingBefore: 0n, ordersSinceBefore: 0 }),
  addOrder: addOrderToDormantAggregate,
  merge: (into, other) => {
    into.orders365 += other.orders365;
    into.sum365 += other.sum365;
    if (other.lastOrderDate && (!into.lastOrderDate || other.lastOrderDate > into.lastOrderDate)) into.lastOrderDate = other.lastOrderDate;
    into.sum90 += other.sum90;
    into.qualifying90 += other.qualifying90;
    into.qualifyingBefore += other.qualifyingBefore;
    into.ordersSinceBefore += other.ordersSinceBefore;
    into.record ??= other.record;
  },
  encode: (a): EncodedDormant => [
    a.orders365,
    String(a.sum365),
    a.lastOrderDate,
    String(a.sum90),
    String(a.qualifying90),
    String(a.qualifyingBefore),
    a.ordersSinceBefore,
    a.record ?? null,
  ],
  decode: (encoded) => {
    const [orders365, sum365, lastOrderDate, sum90, qualifying90, qualifyingBefore, ordersSinceBefore, record] = encoded as EncodedDormant;
    return {
      orders365,
      sum365: BigInt(sum365),
      lastOrderDate,
      sum90: BigInt(sum90),
      qualifying90: BigInt(qualifying90),
      qualifyingBefore: BigInt(qualifyingBefore),
      ordersSinceBefore,
      ...(record ? { record } : {}),
    };
  },
};

/**
 * Every group the report knows of besides buyers: the groups of the shard's clients (master data), and
 * one segment of a parallel scan of the group records — the segments of all map shards read each record
 * once — which also name them and give their contacts.
 */
async function knownGroups({ context, shardIndex, job, membership }: MapShardInput<DormantReportContext>): Promise<Map<string, DormantAggregate>> {
  const known = new Map<string, DormantAggregate>();
  for (const groupId of membership.values()) known.set(groupId, dormantAggregation.empty(context));
  for (const record of await scanGroupRecords(shardIndex, job.mapShards)) {
    known.set(record.groupId, { ...(known.get(record.groupId) ?? dormantAggregation.empty(context)), record: { name: record.name, contacts: record.contacts } });
  }
  return known;
}

/** Whether a group stands in the base tier at a date: by entry thresholds and a floor in force then (no countdowns). */
function inBaseTier(window: TierWindow, qualifyingSum: MinorUnits, floor: GroupFloor | undefined): boolean {
  return entryTier(window.program, qualifyingSum, floor, window.asOf).id === window.program.tiers[0]!.id;
}

/**
 * The report's reduce: every known group of the shard in the base tier at D becomes a row (named, with
 * its contacts and how far it is from the lowest paid tier); the groups in the base tier at D−30 are
 * counted, and those of them that ordered since.
 */
async function dormantGroupShard({ context, shard, groups: merged }: ReduceShardInput<DormantReportContext, DormantAggregate>) {
  const { atAsOf, before } = context;
  const [floors, groups] = await Promise.all([readShardFloors(shard), merged]);
  const lowestPaid = atAsOf.program.tiers[1];
  const winBack = { dormant30DaysAgo: 0, returned: 0 };
  const rows: DormantShardRow[] = [];
  for (const [groupId, group] of groups) {
    const floor = floors.get(groupId);
    if (inBaseTier(before, group.qualifyingBefore, floor)) {
      winBack.dormant30DaysAgo++;
      if (group.ordersSinceBefore > 0) winBack.returned++;
    }
    if (!inBaseTier(atAsOf, group.qualifying90, floor)) continue;
    const remaining = lowestPaid ? lowestPaid.threshold - group.qualifying90 : null;
    rows.push({
      groupId,
      name: group.record?.name ?? groupId,
      contacts: group.record?.contacts ?? [],
      lastOrderDate: group.lastOrderDate,
      orders365: group.orders365,
      sum365: String(group.sum365),
      sum90: String(group.sum90),
      toLowestPaidTier: remaining === null ? null : String(remaining > 0n ? remaining : 0n),
    });
  }
  const labels = await labelGroupsWithoutRecord(rows.filter((row) => !groups.get(row.groupId)!.record).map((row) => row.groupId));
  for (const row of rows) Object.assign(row, labels.get(row.groupId));
  return { result: winBack, rows };
}

/** Worse to better: by recency no order, then the longest ago first; by frequency and sum, fewer and smaller first. */
const byDate = (a: BusinessDate | null, b: BusinessDate | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
const byNumber = (a: number, b: number) => a - b;
const byMinor = (a: string, b: string) => {
  const [x, y] = [BigInt(a), BigInt(b)];
  return x === y ? 0 : x < y ? -1 : 1;
};

/**
 * The rows scored and ranked (§4.6): groups that ordered in the 365 days get R, F and M quintile scores
 * among themselves (recency by last order date, frequency by orders, monetary by sum) and the segment of
 * their R and F; groups without a counted order score 1, 1, 1 and are `lost`. Ranked by the 365-day sum,
 * largest first, then the most recent order first, then by group id.
 */
export function scoreAndRank(rows: readonly DormantShardRow[], asOf: BusinessDate): DormantRow[] {
  const buyers = rows.filter((row) => row.orders365 > 0);
  const r = quintileScores(buyers.map((row) => row.lastOrderDate), byDate);
  const f = quintileScores(buyers.map((row) => row.orders365), byNumber);
  const m = quintileScores(buyers.map((row) => row.sum365), byMinor);
  const scores = new Map(buyers.map((row, i) => [row.groupId, { r: r[i]!, f: f[i]!, m: m[i]! }]));
  return [...rows]
    .sort((a, b) => byMinor(b.sum365, a.sum365) || byDate(b.lastOrderDate, a.lastOrderDate) || a.groupId.localeCompare(b.groupId))
    .map((row) => {
      const score = scores.get(row.groupId);
      return {
        groupId: row.groupId,
        name: row.name,
        contacts: row.contacts,
        lastOrderDate: row.lastOrderDate,
        daysSinceLastOrder: row.lastOrderDate ? daysBetween(row.lastOrderDate, asOf) : null,
        orders365: row.orders365,
        sum365: formatMinor(BigInt(row.sum365)),
        sum90d: formatMinor(BigInt(row.sum90)),
        toLowestPaidTier: row.toLowestPaidTier === null ? null : formatMinor(BigInt(row.toLowestPaidTier)),
        ...(score ?? { r: 1, f: 1, m: 1 }),
        segment: score ? rfmSegment(score.r, score.f) : 'lost',
      };
    });
}

/** The §4.6 summary: rows per segment (every segment, in the order of the map), and the win-back rate. */
function dormantSummary(context: DormantReportContext, rows: readonly DormantRow[], winBack: { dormant30DaysAgo: number; returned: number }) {
  const segments = Object.fromEntries(RFM_SEGMENTS.map((segment) => [segment, 0])) as Record<RfmSegment, number>;
  for (const row of rows) segments[row.segment]++;
  const rate = winBack.dormant30DaysAgo === 0 ? null : Math.round((winBack.returned / winBack.dormant30DaysAgo) * 10_000) / 10_000;
  return { programVersion: context.atAsOf.programVersion, rows: rows.length, segments, winBack: { ...winBack, rate } };
}

/** What a succeeded dormant report's summary holds. */
export type DormantSummary = ReturnType<typeof dormantSummary>;

/**
 * The win-back list of dormant counterparties (§4.6) as a job: every known group in the base tier at D,
 * with its 365 days of counted orders, RFM scores and segment, and the win-back rate of the last 30 days.
 * It never takes the run lease and writes no group state.
 */
export const dormantReport: JobKind<DormantReportContext, DormantAggregate> = {
  name: 'dormant-report',
  keepsResults: true,
  prepare: dormantReportContext,
  window: ({ asOf, yearFrom, atAsOf, before }) => ({
    from: before.from < yearFrom ? before.from : yearFrom,
    to: asOf,
    withLines: atAsOf.multipliers.size > 0 || before.multipliers.size > 0,
  }),
  aggregation: dormantAggregation,
  knownGroups,
  reduce: dormantGroupShard,
  finish: async ({ context, shards }) => {
    const rows = scoreAndRank(shards.flatMap((shard) => shard.rows as DormantShardRow[]), context.asOf);
    const winBack = { dormant30DaysAgo: 0, returned: 0 };
    for (const { result } of shards) {
      const part = result as typeof winBack;
      winBack.dormant30DaysAgo += part.dormant30DaysAgo;
      winBack.returned += part.returned;
    }
    return { summary: dormantSummary(context, rows, winBack), rows };
  },
};
