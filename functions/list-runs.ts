import { ListQuerySchema, type RunList } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer, validate } from '../lib/http/api.js';
import { listingPage } from '../lib/http/listing.js';
import { listRuns } from '../lib/jobs/recalculation/runs.js';
import { runReports } from '../lib/use-cases/run-report.js';

/** GET /admin/runs?limit=20&cursor=…: runs, newest first; `next` is the cursor of the following page. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { limit, cursor } = validate(ListQuerySchema, event.queryStringParameters ?? {});
  const { runs, next } = await listingPage(() => listRuns(limit, cursor));
  return json(200, { runs: await runReports(runs), next: next ?? null } satisfies RunList);
});
