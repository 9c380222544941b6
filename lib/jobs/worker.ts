import { getJob, type Job, type JobKindName } from '../adapters/dynamodb/jobs.js';
import type { JobKind } from './engine/job-kind.js';
import { failJobWithReason, resumeUnfinishedJobs, runJobTask } from './engine/lifecycle.js';
import type { JobTask } from './engine/tasks.js';
import { dormantReport } from './dormant-report/kind.js';
import { recalculation } from './recalculation/kind.js';
import { simulation } from './simulation/kind.js';

/** Every kind of job the engine runs, by name. */
const kinds: Record<JobKindName, JobKind> = { recalculation, simulation, 'dormant-report': dormantReport };

/** The kind of a stored job. */
export function kindOf(job: Pick<Job, 'kind'>): JobKind {
  const kind = kinds[job.kind];
  if (!kind) throw new Error(`No job kind "${job.kind}"`);
  return kind;
}

/** Runs one task from the recalc task queue, whatever kind of job it belongs to. */
export function runTask(task: JobTask): Promise<void> {
  return runJobTask(task, kindOf);
}

/** Fails the job of a task that exhausted its retries, with the reason, so it ends visibly. */
export async function failTaskJob(task: JobTask, reason: string): Promise<void> {
  const job = await getJob(task.jobId);
  if (job) await failJobWithReason(kindOf(job), job.jobId, reason);
}

/** Resumes every unfinished job of every kind (a restarted local stack lost their queued tasks). */
export function resumeEveryUnfinishedJob() {
  return resumeUnfinishedJobs(Object.keys(kinds) as JobKindName[]);
}
