import { RecalculateRequestSchema, type RecalculationStarted } from '../lib/api-schemas.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { startRun } from '../lib/jobs/recalculation/runs.js';

/** POST /admin/recalculate: starts a run for the given as-of date (or answers with the one running for it). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { asOf } = readJsonBody(event, RecalculateRequestSchema, 'no run was started');
  const { runId, alreadyRunning } = await startRun(asOf, 'admin');
  return json(202, { runId, alreadyRunning } satisfies RecalculationStarted);
});
