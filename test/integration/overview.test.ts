import { describe, expect, it } from 'vitest';
import { addDays } from '../../lib/domain/business-date.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { order, uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';
import { recalculate } from '../support/runs.js';

const overview = async () => {
  const response = await getJson(testStack(), '/admin/overview', DEV_SECRETS.ADMIN_TOKEN);
  expect(response.status).toBe(200);
  return response.body;
};
const tier = (body: any, id: string) => body.tiers.find((entry: any) => entry.id === id);
/** The dates of the file, relative to its first run (day 0): the latest run (day 23) is yesterday, never after today. */
const day = (offset: number) => addDays(businessToday(), offset - 24);

// The file's tables start empty and its tests run in order: each builds on the runs before it.
describe('GET /admin/overview', () => {
  it('before any run: no as-of date, every tier of the program at zero, no runs', async () => {
    const body = await overview();
    expect(body).toMatchObject({ asOf: null, runId: null, currency: 'RUB', locale: 'ru', discountCost: '0.00', runs: [] });
    expect(body.tiers.map((entry: any) => entry.id)).toEqual(['base', 'bronze', 'silver', 'gold', 'platinum']);
    expect(body.tiers.every((entry: any) => entry.groups === 0 && entry.sum90d === '0.00')).toBe(true);
  });

  it('gives the distribution the run left: groups and 90-day sums per tier, discount cost half-up per group', async () => {
    const [bronze, silver, memberA, memberB, small] = ['C', 'C', 'C', 'C', 'C'].map(uniqueId);
    const group = uniqueId('G');
    await postWebhook(testStack(), 'groups', { groups: [{ groupId: group, name: 'ГК Ромашка', contacts: [], version: 1 }] });
    await postWebhook(testStack(), 'clients', {
      clients: [memberA, memberB].map((clientId) => ({ clientId, name: clientId, groupId: group, version: 1 })),
    });
    await postWebhook(testStack(), 'orders', {
      orders: [
        order({ orderId: uniqueId('O'), clientId: bronze!, date: day(-20), amount: '50000.25' }), // 2%: 1000.005 → 1000.01
        order({ orderId: uniqueId('O'), clientId: silver!, date: day(-51), amount: '200000.50' }), // 4%: 8000.02
        order({ orderId: uniqueId('O'), clientId: memberA!, date: day(-67), amount: '300000.00' }),
        order({ orderId: uniqueId('O'), clientId: memberB!, date: day(-1), amount: '250000.00' }), // the group: 550 000 → gold, 6%: 33 000
        order({ orderId: uniqueId('O'), clientId: small!, date: day(0), amount: '999.99' }),
        order({ orderId: uniqueId('O'), clientId: small!, date: day(0), amount: '5000.00', status: 'cancelled' }), // counts 0
      ],
    });
    const run = await recalculate(testStack(), day(0));

    const body = await overview();
    expect(body).toMatchObject({ asOf: day(0), runId: run.runId });
    expect(tier(body, 'base')).toMatchObject({ groups: 1, sum90d: '999.99', discountCost: '0.00', name: { ru: 'Базовый', en: 'Base' }, discountPercent: 0 });
    expect(tier(body, 'bronze')).toMatchObject({ groups: 1, sum90d: '50000.25', discountCost: '1000.01' });
    expect(tier(body, 'silver')).toMatchObject({ groups: 1, sum90d: '200000.50', discountCost: '8000.02' });
    expect(tier(body, 'gold')).toMatchObject({ groups: 1, sum90d: '550000.00', discountCost: '33000.00' });
    expect(tier(body, 'platinum')).toMatchObject({ groups: 0, sum90d: '0.00', discountCost: '0.00' });
    expect(body.discountCost).toBe('42000.03');
    expect(body.runs).toEqual([
      expect.objectContaining({ runId: run.runId, asOf: day(0), status: 'succeeded', groups: 4, changed: 3, up: 3, down: 0, finishedAt: expect.any(String) }),
    ]);
  });

  it('follows the latest run: orders leaving the window move groups down, and the runs are listed newest first', async () => {
    // The order of day −67 leaves the window on day 23: the group falls to 250 000 (silver), the rest stays.
    const later = await recalculate(testStack(), day(23));
    const body = await overview();
    expect(body).toMatchObject({ asOf: day(23), runId: later.runId });
    expect(tier(body, 'gold')).toMatchObject({ groups: 0, sum90d: '0.00' });
    expect(tier(body, 'silver')).toMatchObject({ groups: 2, sum90d: '450000.50', discountCost: '18000.02' });
    expect(body.runs.map((entry: any) => entry.asOf)).toEqual([day(23), day(0)]);
    expect(body.runs[0]).toMatchObject({ changed: 1, up: 0, down: 1 });
  });

  it('keeps counting groups a backfill skipped, as they stand', async () => {
    const backfill = await recalculate(testStack(), day(10));
    expect(backfill.skipped).toBeGreaterThan(0);
    const body = await overview();
    expect(body.runId).toBe(backfill.runId);
    expect(tier(body, 'silver')).toMatchObject({ groups: 2, sum90d: '450000.50' });
    expect(body.tiers.reduce((total: number, entry: any) => total + entry.groups, 0)).toBe(4);
  });

  it('answers 401 without the admin token', async () => {
    expect((await getJson(testStack(), '/admin/overview', null)).status).toBe(401);
    expect((await getJson(testStack(), '/admin/overview', 'wrong-token')).status).toBe(401);
  });
});

describe('GET /console', () => {
  it('serves the built page gzipped, with a policy that admits only its own inline script and styles', async () => {
    const response = await fetch(`${testStack().url}/console`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const html = await response.text(); // fetch gunzips
    expect(html).toContain('<div id="app"></div>');
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toMatch(/default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+'; connect-src 'self'/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="(?!data:)/); // nothing fetched from elsewhere
  });

  it('answers 304 to a client holding the current page, and plain HTML to one that takes no gzip', async () => {
    const first = await fetch(`${testStack().url}/console`);
    const etag = first.headers.get('etag')!;
    expect((await fetch(`${testStack().url}/console`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const plain = await fetch(`${testStack().url}/console`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('<div id="app"></div>');
  });
});
