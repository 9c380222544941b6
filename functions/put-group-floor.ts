import { FloorRequestSchema } from '../lib/api-schemas.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { ErpId } from '../lib/ingest/schemas.js';
import { setGroupFloor } from '../lib/use-cases/group-floors.js';

/** PUT /admin/groups/{groupId}/floor: guarantees the group at least a tier until a date; the next run applies it. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const groupId = idFromPath(event, 'groupId', ErpId, 'group');
  const floor = readJsonBody(event, FloorRequestSchema, 'the floor was not changed');
  return json(200, await setGroupFloor(groupId, floor));
});
