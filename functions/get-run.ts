import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { getRun, RunId } from '../lib/jobs/recalculation/runs.js';
import { runReports } from '../lib/use-cases/run-report.js';

/** GET /admin/runs/{runId}: a run's status, counts (changes and notices), progress, phase durations and tiers after it. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const runId = idFromPath(event, 'runId', RunId, 'run');
  const run = await getRun(runId);
  if (!run) throw notFound(`Run ${runId} is not known`);
  const [report] = await runReports([run]);
  return json(200, report);
});
