import { deleteGroupFloor, putGroupFloor } from '../adapters/dynamodb/group-floors.js';
import { getGroupState } from '../adapters/dynamodb/group-state.js';
import type { BusinessDate } from '../domain/business-date.js';
import { notFound, validationFailed, type RequestIssue } from '../http/errors.js';
import { logger } from '../observability.js';
import { businessToday, loadProgramCatalog, type ProgramCatalog, type ProgramVersion } from '../program/program-versions.js';
import { findGroup } from './group-directory.js';

/** A floor as the manager sets it (§4.2). */
export interface FloorRequest {
  tierId: string;
  until: BusinessDate;
  note: string;
}

/** Every version that will be in effect on some date of [from, to]. */
function versionsInEffectBetween(catalog: ProgramCatalog, from: BusinessDate, to: BusinessDate): ProgramVersion[] {
  const dates = [from, ...catalog.versions.map((version) => version.effectiveFrom).filter((date) => date > from && date <= to)];
  return [...new Set(dates.map((date) => catalog.inEffectAt(date)))];
}

/**
 * Sets a group's tier floor, applied by the next run (§4.2). Steps: `until` must be today or later, and the
 * floor's tier must exist in every program version in effect up to `until` (422 naming the field); the
 * group must be known (404); then the floor is stored, replacing any earlier one.
 */
export async function setGroupFloor(groupId: string, request: FloorRequest): Promise<FloorRequest & { groupId: string }> {
  const today = businessToday();
  const issues: RequestIssue[] = [];
  if (request.until < today) issues.push({ path: 'until', message: `must be today (${today}) or later` });
  const catalog = await loadProgramCatalog();
  for (const version of versionsInEffectBetween(catalog, today, request.until < today ? today : request.until)) {
    if (!version.program.tiers.some((tier) => tier.id === request.tierId)) {
      const tierIds = version.program.tiers.map((tier) => tier.id).join(', ');
      issues.push({ path: 'tierId', message: `program version ${version.version} (effective from ${version.effectiveFrom}) has no tier "${request.tierId}"; its tiers: ${tierIds}` });
    }
  }
  if (issues.length > 0) throw validationFailed(issues, 'the floor was not changed');
  const [group, state] = await Promise.all([findGroup(groupId), getGroupState(groupId)]);
  if (!group && !state) throw notFound(`Group ${groupId} is not known`);
  await putGroupFloor({ groupId, ...request, setAt: new Date().toISOString() });
  logger.info('tier floor set', { groupId, tierId: request.tierId, until: request.until });
  return { groupId, ...request };
}

/** Removes a group's tier floor; the next run applies the normal rules again. */
export async function removeGroupFloor(groupId: string): Promise<void> {
  await deleteGroupFloor(groupId);
  logger.info('tier floor removed', { groupId });
}
