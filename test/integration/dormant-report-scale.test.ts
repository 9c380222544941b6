import { describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { batchPutAll } from '../../lib/adapters/dynamodb/batch.js';
import { getJob } from '../../lib/adapters/dynamodb/jobs.js';
import { tableName } from '../../lib/config.js';
import { addDays } from '../../lib/domain/business-date.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { adminRequest } from '../support/admin.js';
import { order } from '../support/fixtures.js';
import { postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue } from '../support/queues.js';

const D = addDays(businessToday(), -1);
const GROUPS = 20_000;
const id = (n: number) => `G-${String(n).padStart(5, '0')}`;

describe('a dormant report of 20,000 rows (§4.6: large results split into pages of items)', () => {
  it('keeps all 20,000 rows in several items and lists them in answers of 10,000, JSON and CSV, in the report’s ranking', async () => {
    const stack = testStack();
    // 20,000 groups known from master data only (written as ingestion stores them), and three that bought.
    await batchPutAll(
      tableName('groups'),
      Array.from({ length: GROUPS }, (_, n) => ({ groupId: id(n), name: `Группа ${n}, ООО "Тест"`, contacts: [`buyer-${n}@example.com`], locale: 'ru', version: 1 })),
      8,
    );
    await postWebhook(stack, 'clients', { clients: [1, 2, 3].map((n) => ({ clientId: `C-${n}`, name: `Client ${n}`, groupId: id(n * 1000), version: 1 })) });
    await postWebhook(stack, 'orders', { orders: [1, 2, 3].map((n) => order({ orderId: `O-${n}`, clientId: `C-${n}`, date: addDays(D, -n * 100), amount: `${n}000.00` })) });

    const started = await adminRequest(stack, 'POST', '/admin/reports', { kind: 'dormant', asOf: D });
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    const report = (await adminRequest(stack, 'GET', `/admin/reports/${started.body.reportId}`)).body;
    expect(report).toMatchObject({ status: 'succeeded', rows: GROUPS, segments: { lost: GROUPS - 3 } });
    expect((await getJob(started.body.reportId))!.resultPages!.pageStarts.length).toBeGreaterThan(5);

    const first = await fetch(`${stack.url}/admin/reports/${started.body.reportId}/rows`, { headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}` } });
    const firstRows = (await first.json()) as any[];
    expect(firstRows).toHaveLength(10_000);
    expect(first.headers.get('x-total-count')).toBe(String(GROUPS));
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link')!)![1]!;
    expect(next).toBe(`/admin/reports/${started.body.reportId}/rows?offset=10000&limit=10000`);
    const second = await fetch(`${stack.url}${next}`, { headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}` } });
    const secondRows = (await second.json()) as any[];
    expect(secondRows).toHaveLength(10_000);
    expect(second.headers.get('link')).toBeNull();

    const all = [...firstRows, ...secondRows];
    expect(new Set(all.map((row) => row.groupId)).size).toBe(GROUPS);
    expect(all.slice(0, 3).map((row) => [row.groupId, row.sum365])).toEqual([
      [id(3000), '3000.00'],
      [id(2000), '2000.00'],
      [id(1000), '1000.00'],
    ]);
    expect(all.slice(3).map((row) => row.groupId)).toEqual([...all.slice(3).map((row) => row.groupId)].sort());
    expect(all[3]).toMatchObject({ groupId: id(0), name: 'Группа 0, ООО "Тест"', contacts: ['buyer-0@example.com'], segment: 'lost' });

    const csv = await fetch(`${stack.url}${next}&format=csv`, { headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}` } });
    const lines = (await csv.text()).split('\r\n');
    expect(lines).toHaveLength(10_002);
    expect(lines[1]).toBe(`${secondRows[0].groupId},"${secondRows[0].name.replaceAll('"', '""')}",${secondRows[0].contacts[0]},,,0,0.00,0.00,50000.00,1,1,1,lost`);
  }, 300_000);
});
