import { listRecentRuns, type Run } from '../adapters/dynamodb/runs.js';
import { program } from '../config.js';
import { formatMinor } from '../domain/money.js';
import type { TierShare } from '../domain/tier-distribution.js';

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
 * latest succeeded run left, and the latest runs. Reads only the recent-runs index: the distribution was
 * totalled by the run itself, so the overview costs the same at 20 groups and at 1M.
 */
export async function getOverview(): Promise<Overview> {
  const recent = await listRecentRuns(RECENT_RUNS);
  const latest = recent.find((run) => run.status === 'succeeded') ?? (await listRecentRuns(1, { succeededOnly: true }))[0];
  const distribution = latest?.tiers ?? new Map<string, TierShare>();
  const empty: TierShare = { groups: 0, sum: 0n, discountCost: 0n };
  const known = new Set(program.tiers.map((tier) => tier.id));
  const tiers = [
    ...program.tiers.map((tier) => ({ id: tier.id, name: tier.name, discountPercent: tier.discountPercent, share: distribution.get(tier.id) ?? empty })),
    // A tier a later program dropped still shows while the last run's groups stand in it.
    ...[...distribution].filter(([id]) => !known.has(id)).map(([id, share]) => ({ id, name: { ru: id, en: id }, discountPercent: 0, share })),
  ];
  return {
    asOf: latest?.asOf ?? null,
    runId: latest?.runId ?? null,
    currency: program.currency,
    locale: program.defaultLocale,
    tiers: tiers.map(({ share, ...tier }) => ({ ...tier, groups: share.groups, sum90d: formatMinor(share.sum), discountCost: formatMinor(share.discountCost) })),
    discountCost: formatMinor(tiers.reduce((total, { share }) => total + share.discountCost, 0n)),
    runs: recent.map(summarise),
  };
}
