import { FloorRequestSchema, GroupPathSchema } from '../lib/api-schemas.js';
import { apiHandler, json, readJsonBody, requireBearer, validate } from '../lib/http/api.js';
import { setGroupFloor } from '../lib/use-cases/group-floors.js';

/** PUT /admin/groups/{groupId}/floor: guarantees the group at least a tier until a date; the next run applies it. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { groupId } = validate(GroupPathSchema, event.pathParameters ?? {});
  const floor = readJsonBody(event, FloorRequestSchema, 'the floor was not changed');
  return json(200, await setGroupFloor(groupId, floor));
});
