import { getClientRecord, getGroupRecord, listGroupMembers, readClientRecords, readGroupRecords } from '../adapters/dynamodb/master-data.js';
import { program } from '../config.js';
import type { Locale } from '../program/program-config.js';

/** A group as the product sees it: master data merged with current membership. */
export interface GroupView {
  groupId: string;
  name: string;
  members: string[];
  contacts: string[];
  locale: Locale;
}

/**
 * Finds a group by id: a group record and/or clients that name it, or a client without a group, which is
 * a group of its own (§2.2). Undefined when nothing is known under that id.
 */
export async function findGroup(groupId: string): Promise<GroupView | undefined> {
  const [record, members] = await Promise.all([getGroupRecord(groupId), listGroupMembers(groupId)]);
  if (record || members.length > 0) {
    return {
      groupId,
      name: record?.name ?? groupId,
      members,
      contacts: record?.contacts ?? [],
      locale: record?.locale ?? program.defaultLocale,
    };
  }
  const client = await getClientRecord(groupId);
  if (client && !client.groupId) {
    return { groupId, name: client.name, members: [client.clientId], contacts: client.email ? [client.email] : [], locale: program.defaultLocale };
  }
  return undefined;
}

/** How a listing names a group and reaches it. */
export interface GroupLabel {
  name: string;
  contacts: string[];
}

/**
 * Names many groups at once that have no group master record: a client without a group is a group of its
 * own, named after the client and reached at its email (§2.2); any other is named by its id, with no contacts.
 */
export async function labelGroupsWithoutRecord(groupIds: readonly string[]): Promise<Map<string, GroupLabel>> {
  const labels = new Map<string, GroupLabel>(groupIds.map((groupId) => [groupId, { name: groupId, contacts: [] }]));
  for (const client of await readClientRecords(groupIds)) {
    if (!client.groupId) labels.set(client.clientId, { name: client.name, contacts: client.email ? [client.email] : [] });
  }
  return labels;
}

/** Names many groups at once: by their master record where the ERP sent one, else as `labelGroupsWithoutRecord` does. */
export async function labelGroups(groupIds: readonly string[]): Promise<Map<string, GroupLabel>> {
  const records = await readGroupRecords(groupIds);
  const labels = new Map<string, GroupLabel>(records.map((record) => [record.groupId, { name: record.name, contacts: record.contacts }]));
  for (const [groupId, label] of await labelGroupsWithoutRecord(groupIds.filter((groupId) => !labels.has(groupId)))) labels.set(groupId, label);
  return labels;
}
