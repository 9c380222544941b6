import { z } from 'zod';
import { InvalidCursorError, listRuns } from '../lib/adapters/dynamodb/runs.js';
import { apiHandler, json, requireBearer, validate } from '../lib/http/api.js';
import { validationFailed } from '../lib/http/errors.js';
import { runReport } from '../lib/use-cases/run-report.js';

const ListRunsQuery = z.object({
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').default(20),
  cursor: z.string().min(1).max(2000).optional(),
});

/** GET /admin/runs?limit=20&cursor=…: runs, newest first; `next` is the cursor of the following page. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { limit, cursor } = validate(ListRunsQuery, event.queryStringParameters ?? {});
  try {
    const { runs, next } = await listRuns(limit, cursor);
    return json(200, { runs: runs.map(runReport), next: next ?? null });
  } catch (error) {
    if (error instanceof InvalidCursorError) throw validationFailed([{ path: 'cursor', message: error.message }]);
    throw error;
  }
});
