import { readClientGroups, readClientGroupsChangedSince, readShardMembership } from '../../adapters/dynamodb/master-data.js';
import { putMembershipSnapshot, readMembershipSnapshot } from '../../adapters/dynamodb/membership-snapshots.js';

/**
 * How far back a job re-reads master-data changes before the previous snapshot's time: covers a write that
 * reached the index after the snapshot was taken (index lag, an ingest's stamp made before its write).
 */
const CHANGE_MARGIN_MS = 15 * 60 * 1000;

/** The groups a map shard knows before its window is read, and whether they cover every client with master data. */
interface KnownGroups {
  takenAt: string;
  groups: Map<string, string>;
  complete: boolean;
}

/**
 * Starts reading one order shard's current membership for a map, alongside its window: the groups the
 * shard's previous job recorded for its window's clients, updated by the master data stored since (read
 * from an index by time), or, with no snapshot yet, every client of the shard. `forWindow` completes it
 * for the window's clients (looking up by key the few the snapshot lacks) and records the new snapshot.
 * So a night's cost follows the window's clients and the day's master-data changes, not how many dormant
 * clients the shard holds.
 */
export function startMembershipRead(orderShard: string) {
  const known = readKnownGroups(orderShard);
  // Awaited only once the window is read: marked handled now, the later await still sees a failure.
  known.catch(() => undefined);
  return {
    /**
     * clientId → groupId for the given clients (one without master data is its own group), and the write
     * that records them as the shard's new snapshot, to be made with the map's own writes.
     */
    async forWindow(clientIds: Iterable<string>): Promise<{ groups: Map<string, string>; record(): Promise<void> }> {
      const { takenAt, groups, complete } = await known;
      const clients = [...clientIds];
      const unknown = complete ? [] : clients.filter((clientId) => !groups.has(clientId));
      const looked = unknown.length > 0 ? await readClientGroups(unknown) : new Map<string, string>();
      const membership = new Map(clients.map((clientId) => [clientId, groups.get(clientId) ?? looked.get(clientId) ?? clientId]));
      return { groups: membership, record: () => putMembershipSnapshot(orderShard, { takenAt, groups: membership }) };
    },
  };
}

async function readKnownGroups(orderShard: string): Promise<KnownGroups> {
  const snapshot = await readMembershipSnapshot(orderShard);
  const takenAt = new Date().toISOString();
  if (!snapshot) return { takenAt, groups: await readShardMembership(orderShard), complete: true };
  const since = new Date(Date.parse(snapshot.takenAt) - CHANGE_MARGIN_MS).toISOString();
  const groups = snapshot.groups;
  for (const [clientId, groupId] of await readClientGroupsChangedSince(orderShard, since)) groups.set(clientId, groupId);
  return { takenAt, groups, complete: false };
}
