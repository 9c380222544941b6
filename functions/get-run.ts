import type { RunView } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { jobProgress, jobTimes } from '../lib/jobs/engine/job-view.js';
import { getRun, RunId } from '../lib/jobs/recalculation/runs.js';

/** GET /admin/runs/{runId}: a recalculation's status, counts and progress. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const runId = idFromPath(event, 'runId', RunId, 'run');
  const run = await getRun(runId);
  if (!run) throw notFound(`Run ${runId} is not known`);
  const { asOf, status, programVersion, groups, changed, up, down, skipped } = run;
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
    progress: jobProgress(run),
    ...jobTimes(run),
  } satisfies RunView);
});
