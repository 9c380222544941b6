import { z } from 'zod';
import { AsOfDate } from '../lib/http/as-of.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { startRun } from '../lib/recalc/run-lifecycle.js';

const RecalculateRequest = z.object({ asOf: AsOfDate });

/** POST /admin/recalculate: starts a run for the given as-of date (or answers with the one running for it). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { asOf } = readJsonBody(event, RecalculateRequest);
  const { runId, alreadyRunning } = await startRun(asOf, 'admin');
  return json(202, { runId, alreadyRunning });
});
