import { getClientRecord, getGroupRecord, listGroupMembers } from '../adapters/dynamodb/master-data.js';
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
