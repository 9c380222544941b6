import { randomBytes } from 'node:crypto';
import { getJob, listJobs, type Job } from '../../adapters/dynamodb/jobs.js';
import type { Mover, SimulationSummary, SimulationView } from '../../api-schemas.js';
import type { BusinessDate } from '../../domain/business-date.js';
import { validationFailed } from '../../http/errors.js';
import { programToJson, type ProgramConfig } from '../../program/program-config.js';
import { deploymentFixedIssues, loadProgramCatalog } from '../../program/program-versions.js';
import { finishedRows, jobProgress, jobTimes } from '../engine/job-view.js';
import { startJob, watchJob } from '../engine/lifecycle.js';
import { simulation, type SimulationResult } from './kind.js';

/** The movers' CSV columns, in order. */
export const MOVER_COLUMNS = ['groupId', 'name', 'sum90d', 'qualifyingSum90d', 'from', 'to'] as const satisfies readonly (keyof Mover)[];

/**
 * Starts a what-if simulation of a candidate program as of D (§4.5). Steps: refuse what only a deployment
 * may change (422, as for a new version); record the version in effect at D as the current program and the
 * candidate, canonical; queue its map tasks. Takes no lease: it may run beside a recalculation.
 */
export async function startSimulation(asOf: BusinessDate, candidate: ProgramConfig): Promise<{ simulationId: string }> {
  const issues = deploymentFixedIssues(candidate);
  if (issues.length > 0) throw validationFailed(issues);
  const current = (await loadProgramCatalog()).inEffectAt(asOf);
  const simulationId = `sim-${asOf}-${randomBytes(4).toString('hex')}`;
  await startJob(simulation, { jobId: simulationId, asOf, trigger: 'admin', params: { programVersion: current.version, candidate: programToJson(candidate) } });
  return { simulationId };
}

/** A simulation job by id, watched (resumed or failed when it has stalled); undefined for any other id. */
async function findSimulation(simulationId: string): Promise<Job | undefined> {
  const job = await getJob(simulationId);
  return job && job.kind === simulation.name ? watchJob(simulation, job) : undefined;
}

/** A simulation as listed: its numbers once it has succeeded (null before, never partial numbers). */
function simulationSummary(job: Job): SimulationSummary {
  const summary = job.summary as SimulationResult | undefined;
  return {
    simulationId: job.jobId,
    asOf: job.asOf,
    status: job.status,
    programVersion: job.params.programVersion as number,
    groups: summary?.groups ?? null,
    moves: summary ? { up: summary.moves.up, down: summary.moves.down, same: summary.moves.same } : null,
    discountCost: summary?.discountCost ?? null,
    movers: job.resultPages?.rows ?? null,
    progress: jobProgress(job),
    ...jobTimes(job),
  };
}

/** GET /admin/simulations/{id} (§4.5): status and, once succeeded, the tier table, moves with their matrix and discount cost. */
export async function describeSimulation(simulationId: string): Promise<SimulationView | undefined> {
  const job = await findSimulation(simulationId);
  if (!job) return undefined;
  const summary = job.summary as SimulationResult | undefined;
  return {
    ...simulationSummary(job),
    tiers: summary?.tiers ?? null,
    moves: summary?.moves ?? null,
    candidate: job.params.candidate as Record<string, unknown>,
  };
}

/** GET /admin/simulations: simulations newest first, a page at a time. */
export async function listSimulations(limit: number, cursor?: string): Promise<{ simulations: SimulationSummary[]; next: string | null }> {
  const { jobs, next } = await listJobs(simulation.name, limit, cursor);
  return { simulations: jobs.map(simulationSummary), next: next ?? null };
}

/** Rows `offset` to `offset + limit` of a succeeded simulation's movers, largest sum first; 409 before it has succeeded. */
export async function simulationMovers(simulationId: string, offset: number, limit: number): Promise<{ rows: Mover[]; total: number } | undefined> {
  const job = await findSimulation(simulationId);
  return job && ((await finishedRows(job, `Simulation ${simulationId}`, offset, limit)) as { rows: Mover[]; total: number });
}
