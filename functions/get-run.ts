import { notFound } from '../lib/http/errors.js';
import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { jobProgress, jobTimes } from '../lib/jobs/engine/job-view.js';
import { getRun } from '../lib/jobs/recalculation/runs.js';

/** GET /admin/runs/{runId}: a recalculation's status, counts and progress. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const runId = event.pathParameters?.runId ?? '';
  const run = await getRun(runId);
  if (!run) throw notFound(`Run ${runId} is not known`);
  const { asOf, status, programVersion, groups, changed, up, down, skipped, notices } = run;
  return json(200, {
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
    ...jobTimes(run),
  });
});
