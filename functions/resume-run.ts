import type { RunResumed } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { conflict, notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { resumeRun, RunId } from '../lib/jobs/recalculation/runs.js';

/** POST /admin/runs/{runId}/resume: re-queues a running run's unfinished tasks now (idempotent). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const runId = idFromPath(event, 'runId', RunId, 'run');
  const resumed = await resumeRun(runId);
  if (!resumed) throw notFound(`Run ${runId} is not known`);
  const { run, requeued } = resumed;
  if (run.status !== 'running' || run.phase === 'done') {
    throw conflict(`Run ${runId} has ${run.status}; only a running run can be resumed (start a new run for ${run.asOf} instead)`);
  }
  return json(202, { runId, status: run.status, phase: run.phase, requeued } satisfies RunResumed);
});
