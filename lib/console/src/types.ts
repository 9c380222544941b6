/** The admin API's answers as the console reads them (SPEC §3.1, §4.1–4.7); money is a decimal string. */

export interface OverviewTier {
  id: string;
  name: { ru: string; en: string };
  discountPercent: number;
  groups: number;
  sum90d: string;
  discountCost: string;
}

export interface RunSummary {
  runId: string;
  asOf: string;
  status: string;
  groups: number;
  changed: number;
  up: number;
  down: number;
  startedAt: string;
  finishedAt: string | null;
}

export interface Overview {
  asOf: string | null;
  runId: string | null;
  currency: string;
  locale: 'ru' | 'en';
  tiers: OverviewTier[];
  discountCost: string;
  runs: RunSummary[];
}

export interface GroupStatus {
  groupId: string;
  name: string;
  members: string[];
  asOf: string | null;
  sum90d: string;
  qualifyingSum90d?: string;
  tier: { id: string; name: string; discountPercent: number; benefits: string[]; benefitCodes?: string[] };
  tierSince: string | null;
  nextTier: { id: string; threshold: string; remaining: string } | null;
  floor?: { tierId: string; until: string } | null;
  outlook?: {
    holdsUntil: string | null;
    toKeep: string | null;
    belowRetainSince: string | null;
    downgradeOn: string | null;
    downgradeTo: string | null;
  };
}

export interface TierChange {
  eventId: string;
  asOf: string;
  from: string;
  to: string;
  direction: 'up' | 'down';
  sum90d: string;
  reason?: string;
}

export interface ProgramTier {
  id: string;
  name: { ru: string; en: string };
  threshold: string | number;
  discountPercent: number;
}

export interface ProgramView {
  version: number;
  effectiveFrom: string;
  program: { currency?: string; defaultLocale?: 'ru' | 'en'; tiers?: ProgramTier[] } & Record<string, unknown>;
  versions: { version: number; effectiveFrom: string; createdAt: string }[];
}

export interface TierFigures {
  groups: number;
  sum90d: string;
  discountCost: string;
}

export interface Simulation {
  simulationId: string;
  asOf: string;
  status: string;
  groups: number;
  tiers: { id: string; current: TierFigures; candidate: TierFigures }[];
  moves: { up: number; down: number; same: number; matrix: Record<string, Record<string, number>> };
  discountCost: { current: string; candidate: string; delta: string };
  error?: string;
}

export interface Mover {
  groupId: string;
  name: string;
  sum90d: string;
  qualifyingSum90d: string;
  from: string;
  to: string;
}

export interface DormantReport {
  reportId: string;
  kind: string;
  asOf: string;
  status: string;
  rows: number;
  segments: Record<string, number>;
  winBack?: { dormant30DaysAgo: number; returned: number; rate: number };
  error?: string;
}

export interface DormantRow {
  groupId: string;
  name: string;
  contacts: string[];
  lastOrderDate: string | null;
  daysSinceLastOrder: number | null;
  orders365: number;
  sum365: string;
  sum90d: string;
  toLowestPaidTier: string;
  r: number;
  f: number;
  m: number;
  segment: string;
}

/** A list of jobs (`GET /admin/simulations`, `GET /admin/reports`): newest first. */
export type JobList<T> = T[] | { items: T[] };
