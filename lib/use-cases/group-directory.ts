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

/**
 * The contacts of many groups at once, in a few batch reads (a run's notices): a group record's contacts,
 * or the email of a client without a group, which is a group of its own (as findGroup); none otherwise.
 */
export async function readGroupContacts(groupIds: readonly string[]): Promise<Map<string, string[]>> {
  const contacts = new Map(groupIds.map((groupId) => [groupId, [] as string[]]));
  const records = await readGroupRecords(groupIds);
  for (const record of records) contacts.set(record.groupId, record.contacts);
  const recorded = new Set(records.map((record) => record.groupId));
  for (const client of await readClientRecords(groupIds.filter((groupId) => !recorded.has(groupId)))) {
    if (!client.groupId && client.email) contacts.set(client.clientId, [client.email]);
  }
  return contacts;
}
