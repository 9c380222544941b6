import { describe, expect, it } from 'vitest';
import { batchPutAll } from '../../lib/adapters/dynamodb/batch.js';
import { readMembershipSnapshot } from '../../lib/adapters/dynamodb/membership-snapshots.js';
import { tableName } from '../../lib/config.js';
import { shardOf } from '../../lib/domain/sharding.js';
import { ORDER_SHARDS } from '../../lib/infra/resources.js';
import { clientItem } from '../../lib/use-cases/ingest.js';
import { order, uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';
import { recalculate } from '../support/runs.js';

const status = async (groupId: string) => (await getJson(testStack(), `/groups/${groupId}`)).body;

/**
 * Master data as it stands after arriving long ago: stored with an old receipt time, so no run finds it
 * among the recent changes and only a lookup by key can (stored directly: the webhook stamps the time now).
 */
async function storeClientsReceivedLongAgo(clients: { clientId: string; groupId: string }[]): Promise<void> {
  const items = clients.map(({ clientId, groupId }) => clientItem({ clientId, name: clientId, groupId, version: 1 } as never, '2020-01-01T00:00:00.000Z'));
  await batchPutAll(tableName('clients'), items);
}

// A run maps a shard's window clients to groups from the previous job's snapshot, the master data stored
// since, and lookups by key for the clients the snapshot lacks; these runs exercise each source.
describe('membership of the window clients across runs', () => {
  it('finds the group of a long-known client new to the window, follows a regrouping, and counts an orphan order under the group its master data names', async () => {
    const [dormant, regrouped, orphan] = [uniqueId('C'), uniqueId('C'), uniqueId('C')];
    const [dormantGroup, firstGroup, secondGroup, orphanGroup] = [uniqueId('G'), uniqueId('G'), uniqueId('G'), uniqueId('G')];
    await storeClientsReceivedLongAgo([
      { clientId: dormant, groupId: dormantGroup },
      { clientId: regrouped, groupId: firstGroup },
    ]);
    await postWebhook(testStack(), 'orders', {
      orders: [
        order({ orderId: uniqueId('O'), clientId: regrouped, date: '2026-10-01', amount: '60000' }),
        order({ orderId: uniqueId('O'), clientId: orphan, date: '2026-10-02', amount: '70000' }),
        order({ orderId: uniqueId('O'), clientId: dormant, date: '2025-01-10', amount: '90000' }), // long before any window
      ],
    });
    await recalculate(testStack(), '2026-11-21');
    expect(await status(firstGroup)).toMatchObject({ sum90d: '60000.00', tier: { id: 'bronze' } });
    expect(await status(orphan)).toMatchObject({ sum90d: '70000.00', tier: { id: 'bronze' } });
    // The run recorded the window's clients of each shard, the orphan as its own group; not the dormant client.
    const snapshot = await readMembershipSnapshot(shardOf(orphan, ORDER_SHARDS));
    expect(snapshot?.groups.get(orphan)).toBe(orphan);
    expect((await readMembershipSnapshot(shardOf(dormant, ORDER_SHARDS)))?.groups.has(dormant)).toBe(false);

    await postWebhook(testStack(), 'clients', {
      clients: [
        { clientId: regrouped, name: 'Moved', groupId: secondGroup, version: 2 },
        { clientId: orphan, name: 'Late master data', groupId: orphanGroup, version: 1 },
      ],
    });
    await postWebhook(testStack(), 'orders', { orders: [order({ orderId: uniqueId('O'), clientId: dormant, date: '2026-11-20', amount: '55000' })] });
    await recalculate(testStack(), '2026-11-22');
    expect(await status(dormantGroup)).toMatchObject({ sum90d: '55000.00', tier: { id: 'bronze' } });
    expect(await status(secondGroup)).toMatchObject({ sum90d: '60000.00', tier: { id: 'bronze' } });
    expect(await status(firstGroup)).toMatchObject({ sum90d: '0.00', tier: { id: 'base' } });
    expect(await status(orphanGroup)).toMatchObject({ sum90d: '70000.00', tier: { id: 'bronze' } });
    expect(await status(orphan)).toMatchObject({ sum90d: '0.00' });
  });
});
