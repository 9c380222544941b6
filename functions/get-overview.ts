import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { getOverview } from '../lib/use-cases/overview.js';

/** GET /admin/overview: the tier distribution of the latest succeeded run, its discount cost, the latest runs. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  return json(200, await getOverview());
});
