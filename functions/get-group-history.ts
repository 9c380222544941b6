import { getGroupState } from '../lib/adapters/dynamodb/group-state.js';
import type { GroupHistory } from '../lib/api-schemas.js';
import { listTierChanges } from '../lib/adapters/dynamodb/tier-changes.js';
import { formatMinor } from '../lib/domain/money.js';
import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { ErpId } from '../lib/ingest/schemas.js';
import { findGroup } from '../lib/use-cases/group-directory.js';

/** GET /groups/{groupId}/history: the group's tier changes, newest first. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'api');
  const groupId = idFromPath(event, 'groupId', ErpId, 'group');
  const [group, state] = await Promise.all([findGroup(groupId), getGroupState(groupId)]);
  if (!group && !state) throw notFound(`Group ${groupId} is not known`);
  const changes = state ? await listTierChanges(groupId, state.changeCount) : [];
  return json(200, {
    groupId,
    changes: changes.map(({ eventId, asOf, from, to, direction, reason, sum, qualifyingSum }) => ({
      eventId,
      asOf,
      from,
      to,
      direction,
      reason,
      sum90d: formatMinor(sum),
      qualifyingSum90d: formatMinor(qualifyingSum),
    })),
  } satisfies GroupHistory);
});
