import { describe, expect, it } from 'vitest';
import { toRequestIssues } from '../../../lib/http/api.js';
import { webhookSchemas } from '../../../lib/ingest/schemas.js';
import { loadProgramConfig } from '../../../lib/program/program-config.js';

const schemas = webhookSchemas(loadProgramConfig());
const order = { orderId: 'O-1', clientId: 'C-1', date: '2026-11-21T23:30:00Z', amount: 125000.5, currency: 'RUB', status: 'paid', version: 1 };

describe('webhook schemas', () => {
  it('turn an order into minor units and a business date, dropping fields they do not know', () => {
    const parsed = schemas.orders.parse({ orders: [{ ...order, lines: [{ sku: 'S', brand: 'B', quantity: 2, amount: '10.10' }], comment: 'x' }] });
    expect(parsed.orders).toEqual([
      { orderId: 'O-1', clientId: 'C-1', date: '2026-11-22', amount: 12_500_050n, currency: 'RUB', status: 'paid', version: 1, lines: [{ sku: 'S', brand: 'B', quantity: 2, amount: 1010n }] },
    ]);
  });

  it('accept every §2.3 status', () => {
    for (const status of ['placed', 'paid', 'shipped', 'completed', 'cancelled', 'returned']) {
      expect(schemas.orders.safeParse({ orders: [{ ...order, status }] }).success).toBe(true);
    }
  });

  it('give a group no contacts and the default locale when the ERP sends neither', () => {
    expect(schemas.groups.parse({ groups: [{ groupId: 'G-1', name: 'G', version: 3 }] }).groups).toEqual([{ groupId: 'G-1', name: 'G', contacts: [], locale: 'ru', version: 3 }]);
  });

  it('read a null groupId as "no group"', () => {
    expect(schemas.clients.parse({ clients: [{ clientId: 'C-1', name: 'C', groupId: null, version: 1 }] }).clients[0]?.groupId).toBeNull();
  });

  it('take the currency from the program', () => {
    const euro = webhookSchemas({ ...loadProgramConfig(), currency: 'EUR' });
    expect(euro.orders.safeParse({ orders: [{ ...order, currency: 'EUR' }] }).success).toBe(true);
    expect(euro.orders.safeParse({ orders: [order] }).success).toBe(false);
  });

  it.each([
    ['version', Number.MAX_SAFE_INTEGER, true],
    ['version', Number.MAX_SAFE_INTEGER + 1, false],
    ['version', 0, true],
    ['orderId', 'O'.repeat(64), true],
    ['orderId', 'O'.repeat(65), false],
    ['orderId', 'Заказ-1', false],
  ])('%s %j valid: %s', (field, value, valid) => {
    expect(schemas.orders.safeParse({ orders: [{ ...order, [field]: value }] }).success).toBe(valid);
  });
});

describe('toRequestIssues', () => {
  it('names each bad field with its batch index, nested arrays included', () => {
    const result = schemas.orders.safeParse({ orders: [order, { ...order, amount: '-1', lines: [{ sku: 'S', brand: 'B', quantity: 0, amount: '1' }] }] });
    expect(result.success).toBe(false);
    expect(toRequestIssues(result.error!.issues)).toEqual([
      { path: 'orders[1].amount', index: 1, message: 'must not be negative' },
      { path: 'orders[1].lines[0].quantity', index: 1, message: expect.any(String) },
    ]);
  });

  it('names the body itself when it is not an object', () => {
    const result = schemas.orders.safeParse([]);
    expect(toRequestIssues(result.error!.issues)).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });
});
