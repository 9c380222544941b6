import { ListQuerySchema } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer, validate } from '../lib/http/api.js';
import { listingPage } from '../lib/http/listing.js';
import { listSimulations } from '../lib/jobs/simulation/simulations.js';

/** GET /admin/simulations?limit=20&cursor=…: simulations, newest first; `next` is the cursor of the following page. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { limit, cursor } = validate(ListQuerySchema, event.queryStringParameters ?? {});
  return json(200, await listingPage(() => listSimulations(limit, cursor)));
});
