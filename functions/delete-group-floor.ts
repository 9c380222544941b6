import { GroupPathSchema } from '../lib/api-schemas.js';
import { apiHandler, noContent, requireBearer, validate } from '../lib/http/api.js';
import { removeGroupFloor } from '../lib/use-cases/group-floors.js';

/** DELETE /admin/groups/{groupId}/floor: removes the group's floor (204 whether or not it had one). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { groupId } = validate(GroupPathSchema, event.pathParameters ?? {});
  await removeGroupFloor(groupId);
  return noContent();
});
