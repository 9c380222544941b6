import { z } from 'zod';
import { isBusinessDate } from '../lib/domain/business-date.js';
import { apiHandler, json, readJsonBody, requireBearer, validate } from '../lib/http/api.js';
import { ErpId } from '../lib/ingest/schemas.js';
import { setGroupFloor } from '../lib/use-cases/group-floors.js';

const FloorRequest = z
  .object({
    tierId: z.string().min(1).max(32),
    until: z.string().refine(isBusinessDate, 'must be a business date YYYY-MM-DD'),
    note: z.string().max(500).default(''),
  })
  .strict();

/** PUT /admin/groups/{groupId}/floor: guarantees the group at least a tier until a date; the next run applies it. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { groupId } = validate(z.object({ groupId: ErpId }), event.pathParameters ?? {});
  const floor = readJsonBody(event, FloorRequest);
  return json(200, await setGroupFloor(groupId, floor));
});
