import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { ErpId } from '../lib/ingest/schemas.js';
import { getGroupStatus } from '../lib/use-cases/group-status.js';

/** GET /groups/{groupId}: the group's members, 90-day sum, tier and distance to the next tier. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'api');
  const groupId = idFromPath(event, 'groupId', ErpId, 'group');
  const status = await getGroupStatus(groupId);
  if (!status) throw notFound(`Group ${groupId} is not known`);
  return json(200, status);
});
