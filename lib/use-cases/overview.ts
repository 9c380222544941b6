import { listRecentRuns, type Run } from '../jobs/recalculation/runs.js';
import { program as deployedProgram } from '../config.js';
import { formatMinor } from '../domain/money.js';
import type { TierShare } from '../domain/tier-distribution.js';
import { businessToday, loadProgramCatalog } from '../program/program-versions.js';

/** Runs the overview lists. */
const RECENT_RUNS = 10;

/** A run as the overview lists it. */
export interface RunSummary {
  runId: string;
  asOf: string;
  status: Run['status'];
  groups: number;
  changed: number;
  up: number;
  down: number;
  startedAt: string;
  finishedAt: string | null;
}

/** The §4.7 overview body, with each tier's names and discount so the console needs no second read. */
export interface Overview {
  asOf: string | null;
  runId: string | null;
  currency: string;
  locale: string;
  tiers: { id: string; name: { ru: string; en: string }; discountPercent: number; groups: number; sum90d: string; discountCost: string }[];
  discountCost: string;
  runs: RunSummary[];
}

function summarise(run: Run): RunSummary {
  const { runId, asOf, status, groups, changed, up, down, startedAt } = run;
  return { runId, asOf, status, groups, changed, up, down, startedAt, finishedAt: run.finishedAt ?? null };
}

/**
 * What the console's first screen shows: the tier distribution (groups, 90-day sums, discount cost) the
 * latest succeeded run left, and the latest runs. Reads the recent-runs index and the program versions:
 * the distribution was totalled by the run itself, so the overview costs the same at 20 groups and at 1M.
 * Tiers are named and ordered as in the version that run applied (today's before any run).
 */
export async function getOverview(): Promise<Overview> {
  const [recent, catalog] = await Promise.all([listRecentRuns(RECENT_RUNS), loadProgramCatalog()]);
  const latest = recent.find((run) => run.status === 'succeeded') ?? (await listRecentRuns(1, { succeededOnly: true }))[0];
  const version = (latest?.programVersion !== undefined && catalog.numbered(latest.programVersion)) || catalog.inEffectAt(latest?.asOf ?? businessToday());
  const distribution = latest?.tiers ?? new Map<string, TierShare>();
  const empty: TierShare = { groups: 0, sum: 0n, discountCost: 0n };
  const known = new Set(version.program.tiers.map((tier) => tier.id));
  const describe = (id: string) => catalog.tier(id, version);
  const tiers = [
    ...version.program.tiers.map((tier) => ({ id: tier.id, name: tier.name, discountPercent: tier.discountPercent, share: distribution.get(tier.id) ?? empty })),
    // A tier the version dropped still shows while the run's groups stand in it, as it was last defined.
    ...[...distribution]
      .filter(([id]) => !known.has(id))
      .map(([id, share]) => ({ id, name: describe(id)?.name ?? { ru: id, en: id }, discountPercent: describe(id)?.discountPercent ?? 0, share })),
  ];
  return {
    asOf: latest?.asOf ?? null,
    runId: latest?.runId ?? null,
    // Fixed by the deployment: a program version cannot change them.
    currency: deployedProgram.currency,
    locale: deployedProgram.defaultLocale,
    tiers: tiers.map(({ share, ...tier }) => ({ ...tier, groups: share.groups, sum90d: formatMinor(share.sum), discountCost: formatMinor(share.discountCost) })),
    discountCost: formatMinor(tiers.reduce((total, { share }) => total + share.discountCost, 0n)),
    runs: recent.map(summarise),
  };
}
