import { ListQuerySchema } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer, validate } from '../lib/http/api.js';
import { listingPage } from '../lib/http/listing.js';
import { listReports } from '../lib/jobs/dormant-report/reports.js';

/** GET /admin/reports?limit=20&cursor=…: reports, newest first; `next` is the cursor of the following page. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { limit, cursor } = validate(ListQuerySchema, event.queryStringParameters ?? {});
  return json(200, await listingPage(() => listReports(limit, cursor)));
});
