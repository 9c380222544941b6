import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { tableName } from '../../lib/config.js';
import { signWebhook } from '../../lib/http/signature.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';

/**
 * Every rejection of §3.1/§3.2 through the real HTTP path. No request in this file may store anything:
 * after each test the four webhook tables are read directly and must be empty.
 */

const WEBHOOK_TABLES = ['orders', 'clients', 'groups', 'prices'] as const;

async function countStored(table: (typeof WEBHOOK_TABLES)[number]): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: tableName(table), Select: 'COUNT', ExclusiveStartKey: startKey }));
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

afterEach(async () => {
  const counts = Object.fromEntries(await Promise.all(WEBHOOK_TABLES.map(async (table) => [table, await countStored(table)] as const)));
  expect(counts, 'a rejected request stored something').toEqual({ orders: 0, clients: 0, groups: 0, prices: 0 });
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

function order(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: `O-${index}`,
    clientId: 'C-42',
    date: '2026-11-10',
    amount: '1250.50',
    currency: 'RUB',
    status: 'paid',
    version: 1,
    ...overrides,
  };
}

/** Five valid orders with `overrides` applied to the one at index 3. */
const batchWithBadFourth = (overrides: Record<string, unknown>) => ({ orders: [0, 1, 2, 3, 4].map((i) => order(i, i === 3 ? overrides : {})) });

function expectError(response: { status: number; body: any }, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error: code, message: expect.any(String), issues: expect.any(Array) });
}

describe('400 malformed JSON', () => {
  it.each(['{"orders": [', '{orders: []}', "{'orders': []}", '{"orders": []} trailing', ''])('rejects a signed body %j', async (rawBody) => {
    expectError(await postWebhook(testStack(), 'orders', undefined, { rawBody }), 400, 'malformed_json');
  });
});

describe('401 webhook signature', () => {
  const body = batchWithBadFourth({});
  const raw = JSON.stringify(body);

  it('rejects a valid batch without X-Signature', async () => {
    const response = await postWebhook(testStack(), 'orders', body, { signature: null });
    expectError(response, 401, 'unauthorized');
    expect(response.body.message).toMatch(/missing/);
  });

  it.each([
    ['garbage', 'garbage'],
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no v1', `t=${nowSeconds()}`],
    ['a short MAC', `t=${nowSeconds()},v1=abcdef`],
  ])('rejects a malformed signature: %s', async (_, signature) => {
    const response = await postWebhook(testStack(), 'orders', body, { signature });
    expectError(response, 401, 'unauthorized');
    expect(response.body.message).toMatch(/malformed/);
  });

  it.each([
    ['301 s old', -301],
    ['301 s in the future', 301],
  ])('rejects a correctly computed signature whose timestamp is %s', async (_, offset) => {
    const response = await postWebhook(testStack(), 'orders', body, { signature: signWebhook(DEV_SECRETS.WEBHOOK_SECRET, raw, nowSeconds() + offset) });
    expectError(response, 401, 'unauthorized');
    expect(response.body.message).toMatch(/stale/);
  });

  it('rejects a signature made with another secret', async () => {
    const response = await postWebhook(testStack(), 'orders', body, { signature: signWebhook('not-the-webhook-secret', raw) });
    expectError(response, 401, 'unauthorized');
    expect(response.body.message).toMatch(/mismatch/);
  });

  it('rejects a signature of another body (the body was altered after signing)', async () => {
    const tampered = JSON.stringify(batchWithBadFourth({ amount: '999999.00' }));
    const response = await postWebhook(testStack(), 'orders', undefined, { rawBody: tampered, signature: signWebhook(DEV_SECRETS.WEBHOOK_SECRET, raw) });
    expectError(response, 401, 'unauthorized');
  });

  it.each(['clients', 'groups', 'prices'])('guards POST /webhooks/%s the same way', async (kind) => {
    const response = await postWebhook(testStack(), kind, { [kind]: [] }, { signature: null });
    expectError(response, 401, 'unauthorized');
  });

  it('checks the signature before the body: an unsigned malformed body is 401, not 400', async () => {
    expectError(await postWebhook(testStack(), 'orders', undefined, { rawBody: '{', signature: null }), 401, 'unauthorized');
  });
});

describe('401 bearer token on GET /groups', () => {
  it('rejects a request without Authorization', async () => {
    expectError(await getJson(testStack(), '/groups/G-1', null), 401, 'unauthorized');
  });

  it.each([
    ['a wrong token', 'not-the-api-token'],
    ['the webhook secret', DEV_SECRETS.WEBHOOK_SECRET],
  ])('rejects %s', async (_, token) => {
    expectError(await getJson(testStack(), '/groups/G-1', token), 401, 'unauthorized');
  });

  it('admits the admin token too (the manager console looks groups up with it), so an unknown group is a 404', async () => {
    expectError(await getJson(testStack(), '/groups/NO-SUCH-GROUP', DEV_SECRETS.ADMIN_TOKEN), 404, 'not_found');
  });

  it('does not admit the API token on admin routes', async () => {
    expectError(await getJson(testStack(), '/admin/overview', DEV_SECRETS.API_TOKEN), 401, 'unauthorized');
  });

  it('rejects the right token in another scheme', async () => {
    const response = await fetch(`${testStack().url}/groups/G-1`, { headers: { authorization: `Basic ${DEV_SECRETS.API_TOKEN}` } });
    expectError({ status: response.status, body: await response.json() }, 401, 'unauthorized');
  });

  it('checks the token before looking the group up (no existence oracle)', async () => {
    expectError(await getJson(testStack(), '/groups/NO-SUCH-GROUP', 'wrong-token'), 401, 'unauthorized');
  });
});

describe('404', () => {
  it('answers an unknown group with 404 in the error format', async () => {
    const response = await getJson(testStack(), '/groups/NO-SUCH-GROUP');
    expectError(response, 404, 'not_found');
    expect(response.body.message).toContain('NO-SUCH-GROUP');
  });

  it('answers an unknown route with 404', async () => {
    const response = await postWebhook(testStack(), 'invoices', { invoices: [] });
    expectError(response, 404, 'not_found');
  });
});

describe('415 not JSON', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/jsonp'])(
    'rejects a signed, valid batch sent as %s',
    async (contentType) => {
      expectError(await postWebhook(testStack(), 'orders', batchWithBadFourth({}), { contentType }), 415, 'unsupported_media_type');
    },
  );

  it('rejects a signed binary body', async () => {
    expectError(await postWebhook(testStack(), 'orders', batchWithBadFourth({}), { contentType: 'application/octet-stream' }), 415, 'unsupported_media_type');
  });
});

describe('422 schema violations name the field and its batch index', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['another currency', { currency: 'USD' }, 'orders[3].currency'],
    ['a negative amount', { amount: '-1.00' }, 'orders[3].amount'],
    ['a negative numeric amount', { amount: -5 }, 'orders[3].amount'],
    ['an amount with 3 decimals', { amount: '1250.505' }, 'orders[3].amount'],
    ['a numeric amount with 3 decimals', { amount: 1250.505 }, 'orders[3].amount'],
    ['a NaN amount', { amount: 'NaN' }, 'orders[3].amount'],
    ['an amount of 16 integer digits', { amount: '1234567890123456' }, 'orders[3].amount'],
    ['an amount in exponent notation', { amount: '1e3' }, 'orders[3].amount'],
    ['a missing amount', { amount: undefined }, 'orders[3].amount'],
    ['an impossible date', { date: '2026-02-30' }, 'orders[3].date'],
    ['a date-time without offset', { date: '2026-11-21T10:00:00' }, 'orders[3].date'],
    ['a date in another format', { date: '21.11.2026' }, 'orders[3].date'],
    ['an unknown status', { status: 'delivered' }, 'orders[3].status'],
    ['a fractional version', { version: 1.5 }, 'orders[3].version'],
    ['a negative version', { version: -1 }, 'orders[3].version'],
    ['a version as a string', { version: '2' }, 'orders[3].version'],
    ['a clientId with a space', { clientId: 'C 42' }, 'orders[3].clientId'],
    ['a clientId with a slash', { clientId: 'C/42' }, 'orders[3].clientId'],
    ['a clientId of 65 characters', { clientId: 'C'.repeat(65) }, 'orders[3].clientId'],
    ['an empty orderId', { orderId: '' }, 'orders[3].orderId'],
    ['a line with quantity 0', { lines: [{ sku: 'A', brand: 'B', quantity: 1, amount: '1.00' }, { sku: 'A', brand: 'B', quantity: 0, amount: '1.00' }] }, 'orders[3].lines[1].quantity'],
    ['a line amount with 3 decimals', { lines: [{ sku: 'A', brand: 'B', quantity: 1, amount: '1.001' }] }, 'orders[3].lines[0].amount'],
  ])('rejects a batch whose order 3 has %s', async (_, overrides, path) => {
    const response = await postWebhook(testStack(), 'orders', batchWithBadFourth(overrides));
    expectError(response, 422, 'validation_failed');
    expect(response.body.issues).toEqual([{ path, index: 3, message: expect.any(String) }]);
  });

  it('accepts a 64-character clientId of every allowed character class (the boundary of the rule above)', async () => {
    // Sent with a bad currency elsewhere so the batch is still rejected and this file stores nothing.
    const clientId = `Az09._:-${'x'.repeat(56)}`;
    const response = await postWebhook(testStack(), 'orders', { orders: [order(0, { clientId }), order(1, { currency: 'EUR' })] });
    expect(response.body.issues).toEqual([{ path: 'orders[1].currency', index: 1, message: expect.any(String) }]);
  });

  it('lists every bad field of every item at once', async () => {
    const body = { orders: [order(0, { amount: '-1' }), order(1), order(2, { status: 'lost', date: '2026-13-01' })] };
    const response = await postWebhook(testStack(), 'orders', body);
    expectError(response, 422, 'validation_failed');
    expect(response.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['orders[0].amount', 'orders[2].date', 'orders[2].status']);
  });

  it('rejects an empty batch', async () => {
    const response = await postWebhook(testStack(), 'orders', { orders: [] });
    expectError(response, 422, 'validation_failed');
    expect(response.body.issues).toEqual([{ path: 'orders', message: 'must hold 1 to 500 items' }]);
  });

  it('rejects a batch of 501 valid orders', async () => {
    const response = await postWebhook(testStack(), 'orders', { orders: Array.from({ length: 501 }, (_, i) => order(i)) });
    expectError(response, 422, 'validation_failed');
    expect(response.body.issues).toEqual([{ path: 'orders', message: 'must hold 1 to 500 items' }]);
  });

  it.each([
    ['a JSON array', []],
    ['a JSON string', 'orders'],
    ['null', null],
  ])('rejects a body that is %s', async (_, body) => {
    const response = await postWebhook(testStack(), 'orders', body);
    expectError(response, 422, 'validation_failed');
    expect(response.body.issues[0].path).toBe('(body)');
  });

  it('rejects a body without the batch key', async () => {
    const response = await postWebhook(testStack(), 'orders', { clients: [order(0)] });
    expect(response.body.issues).toEqual([{ path: 'orders', message: expect.any(String) }]);
  });

  it.each<[string, unknown, string]>([
    ['clients', { clients: [{ clientId: 'C-1', name: 'A', version: 1 }, { clientId: 'C 2', name: 'B', version: 1 }] }, 'clients[1].clientId'],
    ['clients', { clients: [{ clientId: 'C-1', name: 'A', version: 1, email: 'not-an-email' }] }, 'clients[0].email'],
    ['clients', { clients: [{ clientId: 'C-1', name: 'A', version: 1, groupId: 'G 1' }] }, 'clients[0].groupId'],
    ['clients', { clients: [{ clientId: 'C-1', name: '', version: 1 }] }, 'clients[0].name'],
    ['groups', { groups: [{ groupId: 'G-1', name: 'A', version: 1 }, { groupId: 'G-2', name: 'B', locale: 'de', version: 1 }] }, 'groups[1].locale'],
    ['groups', { groups: [{ groupId: 'G-1', name: 'A', contacts: ['a@example.com', 'nope'], version: 1 }] }, 'groups[0].contacts[1]'],
    ['groups', { groups: [{ groupId: 'G-1', name: 'A' }] }, 'groups[0].version'],
    ['prices', { prices: [{ sku: 'S-1', brand: 'B', price: '12.255', version: 1 }] }, 'prices[0].price'],
    ['prices', { prices: [{ sku: 'S-1', brand: 'B', price: '1.00', version: 1 }, { sku: '', brand: 'B', price: '1.00', version: 1 }] }, 'prices[1].sku'],
  ])('rejects a %s batch with an invalid %s', async (kind, body, path) => {
    const response = await postWebhook(testStack(), kind, body);
    expectError(response, 422, 'validation_failed');
    expect(response.body.issues.map((issue: { path: string }) => issue.path)).toEqual([path]);
  });
});
