import { readFileSync } from 'node:fs';
import { GetCommand, ScanCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { tableName } from '../../lib/config.js';
import { shardOf } from '../../lib/domain/sharding.js';
import { ORDER_SHARDS, type TableKey } from '../../lib/infra/resources.js';
import { postWebhook, testStack } from '../support/local-stack.js';

/** §2.2/§2.3 through the HTTP path: the highest version wins, whatever the order or concurrency of deliveries. */

type Item = Record<string, NativeAttributeValue>;

async function stored(table: TableKey, key: Item): Promise<Item | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(table), Key: key, ConsistentRead: true }));
  return Item;
}

/** Every stored order whose id starts with `prefix`, read straight from the table. */
async function storedOrders(prefix: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tableName('orders'),
        FilterExpression: 'begins_with(orderId, :p)',
        ExpressionAttributeValues: { ':p': prefix },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function order(orderId: string, version: number, amount = '1000.00', extra: Record<string, unknown> = {}) {
  return { orderId, clientId: 'C-1', date: '2026-11-10', amount, currency: 'RUB', status: 'paid', version, ...extra };
}

const fixture = (kind: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${kind}.json`, import.meta.url), 'utf8'));

describe('orders webhook', () => {
  it('stores the fixture orders in minor units, with the business date of a date-time and the index keys', async () => {
    expect(await postWebhook(testStack(), 'orders', fixture('orders'))).toEqual({ status: 202, body: { accepted: 2, unchanged: 0 } });
    expect(await stored('orders', { orderId: 'O-1001' })).toMatchObject({
      clientId: 'C-42',
      date: '2026-11-10',
      dateKey: '2026-11-10#O-1001',
      shard: shardOf('C-42', ORDER_SHARDS),
      amountMinor: '12500050',
      currency: 'RUB',
      status: 'paid',
      version: 1,
    });
    expect(await stored('orders', { orderId: 'O-1002' })).toMatchObject({
      clientId: 'C-43',
      date: '2026-11-22', // 2026-11-21T23:30:00Z is 02:30 on the 22nd in Moscow
      dateKey: '2026-11-22#O-1002',
      shard: shardOf('C-43', ORDER_SHARDS),
      amountMinor: '4999950',
      status: 'completed',
      version: 3,
      lines: [{ sku: 'VALVE-15', brand: 'Valtec', quantity: 10, amount: '4999950' }],
    });
  });

  it('a duplicate delivery changes nothing', async () => {
    const body = { orders: [order('DUP-1', 1), order('DUP-2', 4)] };
    expect((await postWebhook(testStack(), 'orders', body)).body).toEqual({ accepted: 2, unchanged: 0 });
    const first = await stored('orders', { orderId: 'DUP-2' });
    expect((await postWebhook(testStack(), 'orders', body)).body).toEqual({ accepted: 0, unchanged: 2 });
    expect(await stored('orders', { orderId: 'DUP-2' })).toEqual(first); // receivedAt included: not rewritten
  });

  it('an older version arriving late changes nothing; a newer one (a partial return) replaces it', async () => {
    expect((await postWebhook(testStack(), 'orders', { orders: [order('OOO-1', 2, '800.00')] })).body).toEqual({ accepted: 1, unchanged: 0 });
    expect((await postWebhook(testStack(), 'orders', { orders: [order('OOO-1', 1, '1000.00', { status: 'placed' })] })).body).toEqual({ accepted: 0, unchanged: 1 });
    expect(await stored('orders', { orderId: 'OOO-1' })).toMatchObject({ version: 2, amountMinor: '80000', status: 'paid' });
    expect((await postWebhook(testStack(), 'orders', { orders: [order('OOO-1', 3, '300.00', { status: 'completed' })] })).body).toEqual({ accepted: 1, unchanged: 0 });
    expect(await stored('orders', { orderId: 'OOO-1' })).toMatchObject({ version: 3, amountMinor: '30000', status: 'completed' });
  });

  it('an equal version with other content is a duplicate: the first delivery stays', async () => {
    await postWebhook(testStack(), 'orders', { orders: [order('EQ-1', 5, '10.00')] });
    expect((await postWebhook(testStack(), 'orders', { orders: [order('EQ-1', 5, '99.00')] })).body).toEqual({ accepted: 0, unchanged: 1 });
    expect(await stored('orders', { orderId: 'EQ-1' })).toMatchObject({ version: 5, amountMinor: '1000' });
  });

  it('within one batch the highest version of an order wins wherever it stands', async () => {
    const body = { orders: [order('IN-1', 2, '20.00'), order('IN-1', 7, '70.00'), order('IN-1', 3, '30.00'), order('IN-2', 1)] };
    expect((await postWebhook(testStack(), 'orders', body)).body).toEqual({ accepted: 2, unchanged: 2 });
    expect(await stored('orders', { orderId: 'IN-1' })).toMatchObject({ version: 7, amountMinor: '7000' });
  });

  it('a batch mixing new, newer and stale orders stores only the new and newer ones', async () => {
    await postWebhook(testStack(), 'orders', { orders: [order('MIX-OLD', 5), order('MIX-UPD', 1)] });
    const response = await postWebhook(testStack(), 'orders', { orders: [order('MIX-OLD', 4), order('MIX-UPD', 2, '5.00'), order('MIX-NEW', 1)] });
    expect(response.body).toEqual({ accepted: 2, unchanged: 1 });
    expect((await storedOrders('MIX-')).map((item) => [item.orderId, item.version]).sort()).toEqual([
      ['MIX-NEW', 1],
      ['MIX-OLD', 5],
      ['MIX-UPD', 2],
    ]);
  });

  it('a newer order version without lines removes the stored lines (the new version replaces the whole item)', async () => {
    const lines = [{ sku: 'VALVE-15', brand: 'GROHE', quantity: 2, amount: '500.00' }];
    await postWebhook(testStack(), 'orders', { orders: [order('NOLINES-1', 1, '1000.00', { lines })] });
    expect(await stored('orders', { orderId: 'NOLINES-1' })).toHaveProperty('lines');
    expect((await postWebhook(testStack(), 'orders', { orders: [order('NOLINES-1', 2, '900.00')] })).body).toEqual({ accepted: 1, unchanged: 0 });
    const item = await stored('orders', { orderId: 'NOLINES-1' });
    expect(item).toMatchObject({ version: 2, amountMinor: '90000' });
    expect(item).not.toHaveProperty('lines');
  });

  it('the same 500-order batch posted 20 times at once stores each order exactly once (500 accepted in all)', async () => {
    const body = { orders: Array.from({ length: 500 }, (_, i) => order(`CONC-${String(i).padStart(3, '0')}`, 3, `${i}.50`)) };
    const responses = await Promise.all(Array.from({ length: 20 }, () => postWebhook(testStack(), 'orders', body)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(202));
    expect(responses.reduce((total, response) => total + response.body.accepted, 0)).toBe(500);
    expect(responses.reduce((total, response) => total + response.body.unchanged, 0)).toBe(9500);
    const items = await storedOrders('CONC-');
    expect(items).toHaveLength(500);
    expect(items.every((item) => item.version === 3)).toBe(true);
    expect(new Set(items.map((item) => item.orderId)).size).toBe(500);
  });

  it('concurrent deliveries of different versions of the same orders end with the highest version stored', async () => {
    // 20 batches sent at once; batch b carries order i at version ((i + b) mod 20) + 1, so every batch mixes
    // versions and version 20 of each order sits in a different batch.
    const ids = Array.from({ length: 40 }, (_, i) => `RACE-${String(i).padStart(2, '0')}`);
    const batches = Array.from({ length: 20 }, (_, b) => ({
      orders: ids.map((id, i) => {
        const version = ((i + b) % 20) + 1;
        return order(id, version, `${version}.00`);
      }),
    }));
    const responses = await Promise.all(batches.map((body) => postWebhook(testStack(), 'orders', body)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(202));
    const accepted = responses.reduce((total, response) => total + response.body.accepted, 0);
    expect(accepted).toBeGreaterThanOrEqual(40);
    expect(accepted + responses.reduce((total, response) => total + response.body.unchanged, 0)).toBe(800);
    const items = await storedOrders('RACE-');
    expect(items.map((item) => [item.orderId, item.version, item.amountMinor]).sort()).toEqual(ids.map((id) => [id, 20, '2000']));
  });
});

describe('clients, groups and prices webhooks', () => {
  it('stores the fixtures', async () => {
    expect((await postWebhook(testStack(), 'clients', fixture('clients'))).body).toEqual({ accepted: 2, unchanged: 0 });
    expect((await postWebhook(testStack(), 'groups', fixture('groups'))).body).toEqual({ accepted: 1, unchanged: 0 });
    expect((await postWebhook(testStack(), 'prices', fixture('prices'))).body).toEqual({ accepted: 2, unchanged: 0 });
    expect(await stored('clients', { clientId: 'C-42' })).toMatchObject({ name: 'ООО Ромашка', email: 'orders@romashka.example', groupId: 'G-7', version: 1 });
    expect(await stored('groups', { groupId: 'G-7' })).toMatchObject({ name: 'ГК Ромашка', contacts: ['buyer@romashka.example'], locale: 'ru', version: 1 });
    expect(await stored('prices', { sku: 'VALVE-15' })).toMatchObject({ brand: 'Valtec', priceMinor: '1225', version: 1 });
  });

  it('a client update with a lower or equal version changes nothing', async () => {
    await postWebhook(testStack(), 'clients', { clients: [{ clientId: 'CV-1', name: 'Moved', groupId: 'G-NEW', version: 2 }] });
    expect((await postWebhook(testStack(), 'clients', { clients: [{ clientId: 'CV-1', name: 'Late', groupId: 'G-OLD', version: 1 }] })).body).toEqual({ accepted: 0, unchanged: 1 });
    expect((await postWebhook(testStack(), 'clients', { clients: [{ clientId: 'CV-1', name: 'Same version', version: 2 }] })).body).toEqual({ accepted: 0, unchanged: 1 });
    expect(await stored('clients', { clientId: 'CV-1' })).toMatchObject({ name: 'Moved', groupId: 'G-NEW', version: 2 });
  });

  it('a newer client version without a group drops the old groupId (the client becomes its own group)', async () => {
    await postWebhook(testStack(), 'clients', { clients: [{ clientId: 'CV-2', name: 'In a group', groupId: 'G-1', version: 1 }] });
    expect((await postWebhook(testStack(), 'clients', { clients: [{ clientId: 'CV-2', name: 'On its own', groupId: null, version: 2 }] })).body).toEqual({ accepted: 1, unchanged: 0 });
    const item = await stored('clients', { clientId: 'CV-2' });
    expect(item).toMatchObject({ name: 'On its own', version: 2 });
    expect(item).not.toHaveProperty('groupId');
  });

  it('a group update with a lower version changes nothing; a newer one replaces it', async () => {
    await postWebhook(testStack(), 'groups', { groups: [{ groupId: 'GV-1', name: 'Second', contacts: ['b@example.com'], locale: 'en', version: 2 }] });
    expect((await postWebhook(testStack(), 'groups', { groups: [{ groupId: 'GV-1', name: 'First', version: 1 }] })).body).toEqual({ accepted: 0, unchanged: 1 });
    expect(await stored('groups', { groupId: 'GV-1' })).toMatchObject({ name: 'Second', contacts: ['b@example.com'], locale: 'en', version: 2 });
    expect((await postWebhook(testStack(), 'groups', { groups: [{ groupId: 'GV-1', name: 'Third', version: 3 }] })).body).toEqual({ accepted: 1, unchanged: 0 });
    expect(await stored('groups', { groupId: 'GV-1' })).toMatchObject({ name: 'Third', contacts: [], locale: 'ru', version: 3 });
  });

  it('a price update with a lower version changes nothing; a newer one replaces it', async () => {
    await postWebhook(testStack(), 'prices', { prices: [{ sku: 'PV-1', brand: 'B', price: 15, version: 2 }] });
    expect((await postWebhook(testStack(), 'prices', { prices: [{ sku: 'PV-1', brand: 'B', price: '12.25', version: 1 }] })).body).toEqual({ accepted: 0, unchanged: 1 });
    expect(await stored('prices', { sku: 'PV-1' })).toMatchObject({ priceMinor: '1500', version: 2 });
    expect((await postWebhook(testStack(), 'prices', { prices: [{ sku: 'PV-1', brand: 'B', price: '14.99', version: 3 }] })).body).toEqual({ accepted: 1, unchanged: 0 });
    expect(await stored('prices', { sku: 'PV-1' })).toMatchObject({ priceMinor: '1499', version: 3 });
  });

  it('concurrent deliveries of different client versions end with the highest version stored', async () => {
    const versions = Array.from({ length: 15 }, (_, i) => i + 1).sort((a, b) => ((a * 7) % 15) - ((b * 7) % 15));
    await Promise.all(
      versions.map((version) => postWebhook(testStack(), 'clients', { clients: [{ clientId: 'CV-RACE', name: `v${version}`, groupId: `G-${version}`, version }] })),
    );
    expect(await stored('clients', { clientId: 'CV-RACE' })).toMatchObject({ name: 'v15', groupId: 'G-15', version: 15 });
  });
});
