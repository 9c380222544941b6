import { describe, expect, it } from 'vitest';
import { toRequestIssues } from '../../../lib/http/api.js';
import { MAX_ITEM_BYTES } from '../../../lib/ingest/item-size.js';
import { parseJsonLossless } from '../../../lib/ingest/lossless-json.js';
import { webhookSchemas } from '../../../lib/ingest/schemas.js';
import { loadProgramConfig } from '../../../lib/program/program-config.js';
import { storedForms } from '../../../lib/use-cases/ingest.js';

const schemas = webhookSchemas(loadProgramConfig(), storedForms);
const order = { orderId: 'O-1', clientId: 'C-1', date: '2026-11-21T23:30:00Z', amount: 125000.5, currency: 'RUB', status: 'paid', version: 1 };

/** A body as the webhook handler hands it to the schema: its JSON text, parsed losslessly. */
const received = (value: unknown) => parseJsonLossless(JSON.stringify(value));
/** The issues of an orders body given as raw JSON text, as `path: message` lines. */
function issuesOfOrdersText(text: string): string[] {
  const result = schemas.orders.safeParse(parseJsonLossless(text));
  return result.success ? [] : toRequestIssues(result.error.issues).map((issue) => issue.path);
}
const ordersText = (fields: string) =>
  `{"orders":[{"orderId":"O-1","clientId":"C-1","date":"2026-11-10","currency":"RUB","status":"paid",${fields}}]}`;

describe('webhook schemas', () => {
  it('turn an order into minor units and a business date, dropping fields they do not know', () => {
    const parsed = schemas.orders.parse(received({ orders: [{ ...order, lines: [{ sku: 'S', brand: 'B', quantity: 2, amount: '10.10' }], comment: 'x' }] }));
    expect(parsed.orders).toEqual([
      { orderId: 'O-1', clientId: 'C-1', date: '2026-11-22', amount: 12_500_050n, currency: 'RUB', status: 'paid', version: 1, lines: [{ sku: 'S', brand: 'B', quantity: 2, amount: 1010n }] },
    ]);
  });

  it('accept every §2.3 status', () => {
    for (const status of ['placed', 'paid', 'shipped', 'completed', 'cancelled', 'returned']) {
      expect(schemas.orders.safeParse(received({ orders: [{ ...order, status }] })).success).toBe(true);
    }
  });

  it('give a group no contacts and the default locale when the ERP sends neither', () => {
    expect(schemas.groups.parse(received({ groups: [{ groupId: 'G-1', name: 'G', version: 3 }] })).groups).toEqual([
      { groupId: 'G-1', name: 'G', contacts: [], locale: 'ru', version: 3 },
    ]);
  });

  it('read a null groupId as "no group"', () => {
    expect(schemas.clients.parse(received({ clients: [{ clientId: 'C-1', name: 'C', groupId: null, version: 1 }] })).clients[0]?.groupId).toBeNull();
  });

  it('take the currency from the program', () => {
    const euro = webhookSchemas({ ...loadProgramConfig(), currency: 'EUR' }, storedForms);
    expect(euro.orders.safeParse(received({ orders: [{ ...order, currency: 'EUR' }] })).success).toBe(true);
    expect(euro.orders.safeParse(received({ orders: [order] })).success).toBe(false);
  });

  it.each([
    ['version', Number.MAX_SAFE_INTEGER, true],
    ['version', Number.MAX_SAFE_INTEGER + 1, false],
    ['version', 0, true],
    ['orderId', 'O'.repeat(64), true],
    ['orderId', 'O'.repeat(65), false],
    ['orderId', 'Заказ-1', false],
    ['orderId', '.', false],
    ['orderId', '..', false],
    ['orderId', '...', true],
    ['orderId', '.hidden', true],
    ['orderId', '../x', false],
  ])('%s %j valid: %s', (field, value, valid) => {
    expect(schemas.orders.safeParse(received({ orders: [{ ...order, [field]: value }] })).success).toBe(valid);
  });

  it('refuse plain JavaScript numbers: numbers must come from the lossless parser, so no float slips in', () => {
    expect(schemas.orders.safeParse({ orders: [order] }).success).toBe(false);
  });
});

describe('numbers read from their JSON text', () => {
  it.each([
    ['"amount":99999999999999.99,"version":1', 9_999_999_999_999_999n],
    ['"amount":100000000000000.01,"version":1', 10_000_000_000_000_001n],
    ['"amount":999999999999999.99,"version":1', 99_999_999_999_999_999n],
    ['"amount":0.1,"version":1', 10n],
  ])('%s is exactly %s kopecks', (fields, minor) => {
    expect(schemas.orders.parse(parseJsonLossless(ordersText(fields))).orders[0]?.amount).toBe(minor);
  });

  it.each([
    ['an amount in exponent form', '"amount":1e5,"version":1', 'orders[0].amount'],
    ['an amount with 3 decimals', '"amount":1.005,"version":1', 'orders[0].amount'],
    ['an amount with a trailing zero past 2 decimals', '"amount":1.500,"version":1', 'orders[0].amount'],
    ['an amount of 16 integer digits', '"amount":1000000000000000,"version":1', 'orders[0].amount'],
    ['a version past 2^53 − 1 that a float would round to it', '"amount":"1.00","version":9007199254740992', 'orders[0].version'],
    ['a version written as 1.0', '"amount":"1.00","version":1.0', 'orders[0].version'],
    ['a version in exponent form', '"amount":"1.00","version":1e2', 'orders[0].version'],
    ['a version of -0', '"amount":"1.00","version":-0', 'orders[0].version'],
    ['a boolean amount', '"amount":true,"version":1', 'orders[0].amount'],
  ])('refuse %s', (_, fields, path) => {
    expect(issuesOfOrdersText(ordersText(fields))).toEqual([path]);
  });
});

describe('the stored item size (DynamoDB 400 KB, UTF-8 bytes)', () => {
  const lines = (brand: string) => Array.from({ length: 1000 }, (_, i) => ({ sku: `S-${i}`, brand, quantity: 1, amount: '1.00' }));

  it('refuses an order whose lines take more than 400 KB of UTF-8, naming lines', () => {
    const result = schemas.orders.safeParse(received({ orders: [{ ...order, lines: lines('€'.repeat(200)) }] }));
    expect(result.success).toBe(false);
    expect(toRequestIssues(result.error!.issues)).toEqual([{ path: 'orders[0].lines', index: 0, message: expect.stringContaining(`${MAX_ITEM_BYTES}`) }]);
  });

  it('accepts the same order with ASCII brands of the same length (a third of the bytes)', () => {
    expect(schemas.orders.safeParse(received({ orders: [{ ...order, lines: lines('B'.repeat(200)) }] })).success).toBe(true);
  });
});

describe('toRequestIssues', () => {
  it('names each bad field with its batch index, nested arrays included', () => {
    const result = schemas.orders.safeParse(received({ orders: [order, { ...order, amount: '-1', lines: [{ sku: 'S', brand: 'B', quantity: 0, amount: '1' }] }] }));
    expect(result.success).toBe(false);
    expect(toRequestIssues(result.error!.issues)).toEqual([
      { path: 'orders[1].amount', index: 1, message: 'must not be negative' },
      { path: 'orders[1].lines[0].quantity', index: 1, message: expect.any(String) },
    ]);
  });

  it('names the body itself when it is not an object', () => {
    const result = schemas.orders.safeParse(received([]));
    expect(toRequestIssues(result.error!.issues)).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });
});
