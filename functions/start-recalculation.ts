import { z } from 'zod';
import { isBusinessDate } from '../lib/domain/business-date.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { startRun } from '../lib/jobs/recalculation/runs.js';

const RecalculateRequest = z.object({ asOf: z.string().refine(isBusinessDate, 'must be a business date YYYY-MM-DD') });

/** POST /admin/recalculate: starts a run for the given as-of date (or answers with the one running for it). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { asOf } = readJsonBody(event, RecalculateRequest);
  const { runId, alreadyRunning } = await startRun(asOf, 'admin');
  return json(202, { runId, alreadyRunning });
});
