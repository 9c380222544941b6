import type { RunChange, RunView } from '../api-schemas.js';
import type { TierChange } from '../domain/group-evaluation.js';
import { formatMinor } from '../domain/money.js';
import type { TierShare } from '../domain/tier-distribution.js';
import { jobPhases, jobProgress, jobTimes } from '../jobs/engine/job-view.js';
import type { Run } from '../jobs/recalculation/runs.js';
import { loadProgramCatalog, type ProgramCatalog } from '../program/program-versions.js';

/** The tiers after a run in the order of the program version it applied, then any tier that version dropped. */
function tiersAfter(run: Run, catalog: ProgramCatalog): RunView['tiers'] {
  if (!run.tiers) return null;
  const version = (run.programVersion !== undefined && catalog.numbered(run.programVersion)) || catalog.inEffectAt(run.asOf);
  const ids = version.program.tiers.map((tier) => tier.id);
  const empty: TierShare = { groups: 0, sum: 0n, discountCost: 0n };
  return [...ids, ...[...run.tiers.keys()].filter((id) => !ids.includes(id)).sort()].map((id) => {
    const share = run.tiers!.get(id) ?? empty;
    return { id, groups: share.groups, sum90d: formatMinor(share.sum), discountCost: formatMinor(share.discountCost) };
  });
}

/**
 * A run as the admin API reports it (§3.1 and the run report): status, counts of changes and notices, shard
 * progress, when each phase started and finished and how long it took, the groups per tier after the run,
 * and what its closing sweep published again.
 */
function runView(run: Run, catalog: ProgramCatalog): RunView {
  const { runId, asOf, status, programVersion, groups, changed, up, down, skipped, notices, trigger } = run;
  return {
    runId,
    asOf,
    status,
    programVersion: programVersion ?? null,
    groups,
    changed,
    up,
    down,
    skipped,
    notices,
    progress: jobProgress(run),
    trigger,
    ...jobTimes(run),
    ...jobPhases(run),
    tiers: tiersAfter(run, catalog),
    deliveriesRepublished: run.sweep?.republished ?? null,
  };
}

/** The reports of some runs (the program versions read once, for the order of their tiers). */
export async function runReports(runs: readonly Run[]): Promise<RunView[]> {
  const catalog = await loadProgramCatalog();
  return runs.map((run) => runView(run, catalog));
}

/** A run's tier change as its report lists it (money as decimal strings; the qualifying sum decided the tier). */
export function runChangeRow(change: TierChange): RunChange {
  const { eventId, groupId, asOf, from, to, direction, sum, qualifyingSum, reason } = change;
  return { groupId, from, to, direction, sum90d: formatMinor(sum), qualifyingSum90d: formatMinor(qualifyingSum), reason, asOf, eventId };
}

/** The CSV columns of a run's changes, in order. */
export const RUN_CHANGE_COLUMNS = ['groupId', 'from', 'to', 'direction', 'sum90d', 'qualifyingSum90d', 'reason', 'asOf', 'eventId'] as const;
