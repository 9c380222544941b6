import { InvalidCursorError, listRuns } from '../lib/adapters/dynamodb/runs.js';
import { RunListQuerySchema, type RunList } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer, validate } from '../lib/http/api.js';
import { validationFailed } from '../lib/http/errors.js';
import { runReports } from '../lib/use-cases/run-report.js';

/** GET /admin/runs?limit=20&cursor=…: runs, newest first; `next` is the cursor of the following page. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { limit, cursor } = validate(RunListQuerySchema, event.queryStringParameters ?? {});
  try {
    const { runs, next } = await listRuns(limit, cursor);
    return json(200, { runs: await runReports(runs), next: next ?? null } satisfies RunList);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw validationFailed([{ path: 'cursor', message: error.message }]);
    throw error;
  }
});
