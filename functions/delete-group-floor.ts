import { apiHandler, noContent, requireBearer } from '../lib/http/api.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { ErpId } from '../lib/ingest/schemas.js';
import { removeGroupFloor } from '../lib/use-cases/group-floors.js';

/** DELETE /admin/groups/{groupId}/floor: removes the group's floor (204 whether or not it had one). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const groupId = idFromPath(event, 'groupId', ErpId, 'group');
  await removeGroupFloor(groupId);
  return noContent();
});
