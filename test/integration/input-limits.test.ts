import { createHmac } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { tableName } from '../../lib/config.js';
import { itemSize, MAX_ITEM_BYTES } from '../../lib/ingest/item-size.js';
import { apiGatewayEvent, loadFunctionHandler } from '../../lib/local/http-gateway.js';
import { lambdaContext } from '../../lib/local/lambda-context.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { orderItem } from '../../lib/use-cases/ingest.js';
import { uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';

/**
 * Input at its limits (issue 10): each case here once broke a promise of §2–3 at an edge. Every request goes
 * through the real HTTP path of the local stack; what is stored is read back from the table itself.
 */

async function stored(table: 'orders' | 'prices' | 'clients' | 'groups', key: Record<string, string>) {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(table), Key: key }));
  return Item;
}

/** A signed orders body written as raw JSON text, so amounts reach the server exactly as typed here. */
function rawOrder(orderId: string, amountJson: string, extra = ''): string {
  return `{"orderId":"${orderId}","clientId":"C-LIMITS","date":"2026-11-10","amount":${amountJson},"currency":"RUB","status":"paid","version":1${extra}}`;
}

describe('1. amounts sent as JSON numbers are read from their digits, never through a float', () => {
  it.each([
    ['99999999999999.99', '9999999999999999'],
    ['100000000000000.01', '10000000000000001'],
    ['999999999999999.99', '99999999999999999'],
    ['0.07', '7'],
  ])('stores the order amount %s as %s kopecks', async (amount, minor) => {
    const orderId = uniqueId('O-NUM');
    const response = await postWebhook(testStack(), 'orders', undefined, { rawBody: `{"orders":[${rawOrder(orderId, amount)}]}` });
    expect(response).toEqual({ status: 202, body: { accepted: 1, unchanged: 0 } });
    expect((await stored('orders', { orderId }))?.amountMinor).toBe(minor);
  });

  it('stores a line amount given as a JSON number exactly', async () => {
    const orderId = uniqueId('O-LINE');
    const line = '{"sku":"S-1","brand":"GROHE","quantity":1,"amount":99999999999999.99}';
    const response = await postWebhook(testStack(), 'orders', undefined, { rawBody: `{"orders":[${rawOrder(orderId, '99999999999999.99', `,"lines":[${line}]`)}]}` });
    expect(response.status).toBe(202);
    expect((await stored('orders', { orderId }))?.lines).toEqual([{ sku: 'S-1', brand: 'GROHE', quantity: 1, amount: '9999999999999999' }]);
  });

  it.each([
    ['99999999999999.99', '9999999999999999'],
    ['100000000000000.01', '10000000000000001'],
  ])('stores the base price %s as %s kopecks', async (price, minor) => {
    const sku = uniqueId('SKU-NUM');
    const response = await postWebhook(testStack(), 'prices', undefined, { rawBody: `{"prices":[{"sku":"${sku}","brand":"Valtec","price":${price},"version":1}]}` });
    expect(response.status).toBe(202);
    expect((await stored('prices', { sku }))?.priceMinor).toBe(minor);
  });
});

describe('2. business dates stay within years 1000–9999 after conversion to the program time zone', () => {
  it.each([
    ['a date-time that is 10000-01-01 in Moscow', '9999-12-31T23:00:00Z'],
    ['a date-time in year 999', '0999-06-15T12:00:00Z'],
    ['a business date in year 999', '0999-06-15'],
    ['a business date in year 0', '0000-01-01'],
  ])('refuses %s with 422 naming the date, storing nothing', async (_, date) => {
    const orderId = uniqueId('O-DATE');
    const response = await postWebhook(testStack(), 'orders', {
      orders: [{ orderId, clientId: 'C-LIMITS', date, amount: '1.00', currency: 'RUB', status: 'paid', version: 1 }],
    });
    expect(response.status).toBe(422);
    expect(response.body.issues).toEqual([{ path: 'orders[0].date', index: 0, message: expect.stringMatching(/1000.*9999/) }]);
    expect(await stored('orders', { orderId })).toBeUndefined();
  });

  it.each([
    ['1000-01-01', '1000-01-01'],
    ['9999-12-31', '9999-12-31'],
    ['9999-12-31T20:59:59Z', '9999-12-31'],
    ['9999-12-31T23:59:59+03:00', '9999-12-31'],
  ])('accepts %s as business date %s', async (date, businessDate) => {
    const orderId = uniqueId('O-DATE');
    const response = await postWebhook(testStack(), 'orders', {
      orders: [{ orderId, clientId: 'C-LIMITS', date, amount: '1.00', currency: 'RUB', status: 'paid', version: 1 }],
    });
    expect(response.status).toBe(202);
    expect((await stored('orders', { orderId }))?.date).toBe(businessDate);
  });
});

describe('3. an order DynamoDB could not store is refused whole at the schema, in UTF-8 bytes', () => {
  /** 1,000 lines with 200-character brands of 3-byte characters: about 834 KB of UTF-8, 300 K UTF-16 units. */
  const heavyLines = () => Array.from({ length: 1000 }, (_, i) => ({ sku: `S-${i}`.padEnd(64, '€'), brand: '€'.repeat(200), quantity: 1, amount: '1.00' }));

  it('answers 422 naming orders[1].lines and stores none of the batch', async () => {
    const ids = [uniqueId('O-BIG'), uniqueId('O-BIG'), uniqueId('O-BIG')];
    const order = (orderId: string) => ({ orderId, clientId: 'C-LIMITS', date: '2026-11-10', amount: '1000.00', currency: 'RUB', status: 'paid', version: 1 });
    const rawBody = JSON.stringify({ orders: [order(ids[0]!), { ...order(ids[1]!), lines: heavyLines() }, order(ids[2]!)] });
    expect(Buffer.byteLength(rawBody)).toBeLessThan(1024 * 1024);
    const response = await postWebhook(testStack(), 'orders', undefined, { rawBody });
    expect(response.status).toBe(422);
    expect(response.body.issues).toEqual([{ path: 'orders[1].lines', index: 1, message: expect.stringMatching(/409600|409,600|400 KB/) }]);
    for (const orderId of ids) expect(await stored('orders', { orderId })).toBeUndefined();
  });

  /**
   * An order of 1,000 lines whose stored form is exactly `bytes` by itemSize: line brands mix "Ж" (2 bytes)
   * and "B" (1 byte) so the brand bytes can be spread to reach nearly any total (a brand byte may count more
   * than once: the stored order also keeps its line amounts by brand), and SKUs padded with "x" (1 byte,
   * stored once) make up the rest exactly.
   */
  function orderStoredAs(orderId: string, bytes: number) {
    const fields = { orderId, clientId: 'C-LIMITS', date: '2026-11-10', currency: 'RUB', status: 'paid' as const, version: 1 };
    // Each brand starts with its line number, so no two lines share a brand (the stored order keys amounts by brand).
    const brand = (i: number, size: number) => {
      const filler = size - 4;
      return String(i).padStart(4, '0') + 'Ж'.repeat(Math.max(0, filler - 196)) + 'B'.repeat(filler - 2 * Math.max(0, filler - 196));
    };
    const withBrands = (sizes: number[], skuPadding = 0) => ({
      ...fields,
      amount: '1.00',
      lines: sizes.map((size, i) => ({ sku: `S-${i}${'x'.repeat(Math.min(50, Math.max(0, skuPadding - 50 * i)))}`, brand: brand(i, size), quantity: 1, amount: '1.00' })),
    });
    const measure = (sizes: number[], skuPadding = 0) => {
      const order = withBrands(sizes, skuPadding);
      const input = { ...order, amount: 100n, lines: order.lines.map((line) => ({ ...line, amount: 100n })) };
      return itemSize(orderItem(input, new Date().toISOString()));
    };
    const ones = Array.from({ length: 1000 }, () => 4);
    const bytesPerBrandByte = measure([5, ...ones.slice(1)]) - measure(ones);
    const extra = Math.floor((bytes - measure(ones)) / bytesPerBrandByte) - 1;
    const sizes = ones.map((one, i) => one + Math.floor(extra / 1000) + (i < extra % 1000 ? 1 : 0));
    const skuPadding = bytes - measure(sizes);
    expect(measure(sizes, skuPadding)).toBe(bytes);
    return withBrands(sizes, skuPadding);
  }

  it('stores an order of exactly 400 KB and refuses one a byte larger, naming its lines', async () => {
    const [atLimit, overLimit] = [uniqueId('O-AT-400K'), uniqueId('O-OVER-400K')];
    expect(await postWebhook(testStack(), 'orders', { orders: [orderStoredAs(atLimit, MAX_ITEM_BYTES)] })).toEqual({ status: 202, body: { accepted: 1, unchanged: 0 } });
    expect((await stored('orders', { orderId: atLimit }))?.lines).toHaveLength(1000);
    const response = await postWebhook(testStack(), 'orders', { orders: [orderStoredAs(overLimit, MAX_ITEM_BYTES + 1)] });
    expect(response.status).toBe(422);
    expect(response.body.issues).toEqual([{ path: 'orders[0].lines', index: 0, message: expect.stringContaining(`${MAX_ITEM_BYTES + 1} bytes`) }]);
    expect(await stored('orders', { orderId: overLimit })).toBeUndefined();
  });

  it('counts sizes as the store does: it takes an item of exactly 400 KB by itemSize and refuses one a byte larger', async () => {
    // Every kind of value ingest stores, with names and strings of 1-, 2-, 3- and 4-byte characters.
    const item = (orderId: string, padding: number) => ({
      orderId,
      version: 9_007_199_254_740_991,
      ratio: 12.5,
      flag: true,
      nothing: null,
      'имя': 'ГК Ромашка',
      lines: Array.from({ length: 300 }, (_, i) => ({ sku: `S-${i}`, brand: i % 2 ? 'Jacob Delafon €' : 'GROHE 😀', quantity: i * 7, amount: '1.00', tags: ['a', i] })),
      pad: 'Ж'.repeat(Math.floor(padding / 2)) + 'x'.repeat(padding % 2),
    });
    const padding = MAX_ITEM_BYTES - itemSize(item('SIZE-AT', 0));
    expect(itemSize(item('SIZE-AT', padding))).toBe(MAX_ITEM_BYTES);
    await dynamo.send(new PutCommand({ TableName: tableName('orders'), Item: item('SIZE-AT', padding) }));
    expect(await stored('orders', { orderId: 'SIZE-AT' })).toBeDefined();
    await expect(dynamo.send(new PutCommand({ TableName: tableName('orders'), Item: item('SIZE-UP', padding + 1) }))).rejects.toThrow(/size/i);
  });
});

describe('5. path parameters never answer 5xx', () => {
  const admin = DEV_SECRETS.ADMIN_TOKEN;
  const longId = 'a'.repeat(2049);

  it.each([
    ['/groups/{2,049-byte id}', `/groups/${longId}`, DEV_SECRETS.API_TOKEN],
    ['/groups/{2,049-byte id}/history', `/groups/${longId}/history`, DEV_SECRETS.API_TOKEN],
    ['/groups/{2,049-byte id}/prices', `/groups/${longId}/prices?sku=A`, DEV_SECRETS.API_TOKEN],
    ['/admin/runs/{2,049-byte id}', `/admin/runs/${longId}`, admin],
    ['/groups/Ж (percent-encoded, not an id)', '/groups/%D0%96', DEV_SECRETS.API_TOKEN],
    ['/admin/runs/2026-11-21 (not a run id)', '/admin/runs/2026-11-21', admin],
  ])('answers GET %s with 404 not_found', async (_, path, token) => {
    const response = await getJson(testStack(), path, token);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'not_found' });
  });

  it.each(['/groups/%', '/groups/%E0%A4%A/history', '/groups/%ZZ/prices?sku=A', '/admin/runs/%C0%AF'])(
    'answers GET %s (malformed percent-encoding) with 400 malformed_path',
    async (path) => {
      const response = await getJson(testStack(), path, path.startsWith('/admin') ? admin : DEV_SECRETS.API_TOKEN);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'malformed_path', issues: [{ path: expect.stringMatching(/^(groupId|runId)$/) }] });
    },
  );

  it.each([
    ['get-group', 'a 2,049-byte groupId', '/groups/{groupId}', { groupId: longId }, 404],
    ['get-group-history', 'groupId "%"', '/groups/{groupId}/history', { groupId: '%' }, 400],
    ['get-group-prices', 'groupId ".."', '/groups/{groupId}/prices', { groupId: '..' }, 404],
    ['get-run', 'a 2,049-byte runId', '/admin/runs/{runId}', { runId: longId }, 404],
  ])('the %s function itself answers %s with the same 4xx, as behind API Gateway', async (functionName, _, route, pathParameters, status) => {
    const handler = await loadFunctionHandler(functionName);
    const token = functionName === 'get-run' ? admin : DEV_SECRETS.API_TOKEN;
    const event = apiGatewayEvent({
      method: 'GET',
      path: route,
      rawQueryString: functionName === 'get-group-prices' ? 'sku=A' : '',
      headers: { authorization: `Bearer ${token}` },
      body: undefined,
      routeKey: `GET ${route}`,
      pathParameters,
    });
    const result = await handler(event, lambdaContext(functionName));
    expect(result.statusCode).toBe(status);
  });
});

describe('6. ids survive a URL path', () => {
  it.each([
    ['clients', { clients: [{ clientId: '..', name: 'Dots', version: 1 }] }, 'clients[0].clientId'],
    ['clients', { clients: [{ clientId: 'C-1', name: 'Dots', groupId: '.', version: 1 }] }, 'clients[0].groupId'],
    ['groups', { groups: [{ groupId: '..', name: 'Dots', version: 1 }] }, 'groups[0].groupId'],
    ['orders', { orders: [{ orderId: '.', clientId: 'C-1', date: '2026-11-10', amount: '1.00', currency: 'RUB', status: 'paid', version: 1 }] }, 'orders[0].orderId'],
  ])('refuses a %s batch whose id is a dot segment', async (kind, body, path) => {
    const response = await postWebhook(testStack(), kind, body);
    expect(response.status).toBe(422);
    expect(response.body.issues).toEqual([{ path, index: 0, message: expect.any(String) }]);
  });

  it('still accepts ids that merely contain dots, and reads them back by path', async () => {
    const groupId = `${uniqueId('G')}...v2`;
    expect((await postWebhook(testStack(), 'groups', { groups: [{ groupId, name: 'Dots', version: 1 }] })).status).toBe(202);
    expect((await getJson(testStack(), `/groups/${groupId}`)).body).toMatchObject({ groupId });
  });
});

describe('7. a body that is not UTF-8 has its own error', () => {
  /** Latin-1 "Café" inside an otherwise valid batch: the é is the single byte 0xE9, not valid UTF-8. */
  const latin1Body = () =>
    Buffer.concat([Buffer.from('{"groups":[{"groupId":"G-LATIN1","name":"Caf'), Buffer.from([0xe9]), Buffer.from('","version":1}]}')]);

  it('answers a correctly signed non-UTF-8 body with 400 invalid_utf8, not 401, and stores nothing', async () => {
    const body = latin1Body();
    const t = Math.floor(Date.now() / 1000);
    const mac = createHmac('sha256', DEV_SECRETS.WEBHOOK_SECRET).update(`${t}.`).update(body).digest('hex');
    const response = await fetch(`${testStack().url}/webhooks/groups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': `t=${t},v1=${mac}` },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_utf8', issues: [{ path: '(body)', message: 'the byte at offset 44 is not valid UTF-8' }] });
    expect(await stored('groups', { groupId: 'G-LATIN1' })).toBeUndefined();
  });

  it('still answers 401 when such a body is not signed correctly (the signature is checked first)', async () => {
    const response = await fetch(`${testStack().url}/webhooks/groups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body: latin1Body(),
    });
    expect(response.status).toBe(401);
  });
});
