import { z } from 'zod';
import { apiHandler, noContent, requireBearer, validate } from '../lib/http/api.js';
import { ErpId } from '../lib/ingest/schemas.js';
import { removeGroupFloor } from '../lib/use-cases/group-floors.js';

/** DELETE /admin/groups/{groupId}/floor: removes the group's floor (204 whether or not it had one). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { groupId } = validate(z.object({ groupId: ErpId }), event.pathParameters ?? {});
  await removeGroupFloor(groupId);
  return noContent();
});
