import { PricesQuerySchema } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer, validate } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { ErpId } from '../lib/ingest/schemas.js';
import { getGroupPrices } from '../lib/use-cases/group-prices.js';

/**
 * GET /groups/{groupId}/prices?sku=A&sku=B: the group's prices for those SKUs. The SKUs come from the raw
 * query string, because API Gateway joins repeated parameters with commas and a SKU may contain one.
 */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'api');
  const groupId = idFromPath(event, 'groupId', ErpId, 'group');
  const { sku } = validate(PricesQuerySchema, { sku: new URLSearchParams(event.rawQueryString ?? '').getAll('sku') });
  const prices = await getGroupPrices(groupId, sku);
  if (!prices) throw notFound(`Group ${groupId} is not known`);
  return json(200, prices);
});
