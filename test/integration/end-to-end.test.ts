import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../lib/http/signature.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { eventually } from '../support/fan-out.js';
import { order, uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';

const callbacks: { headers: IncomingHttpHeaders; body: string }[] = [];
const erp = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    callbacks.push({ headers: request.headers, body });
    response.writeHead(204).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => erp.listen(0, '127.0.0.1', resolve));
  process.env.ERP_CALLBACK_URL = `http://127.0.0.1:${(erp.address() as AddressInfo).port}/tier-changes`;
  testStack().startConsumers();
});
afterAll(() => new Promise<void>((resolve) => erp.close(() => resolve())));

describe('from orders to a tier-up email and an ERP callback', () => {
  it('recalculates, emails the group in its language and calls the ERP back, signed, through the local stack', async () => {
    const stack = testStack();
    const [groupId, clientA, clientB] = [uniqueId('G'), uniqueId('C'), uniqueId('C')];
    const contact = `${groupId.toLowerCase()}@buyer.example`;
    await postWebhook(stack, 'groups', { groups: [{ groupId, name: 'Acme Plumbing', contacts: [contact], locale: 'en', version: 1 }] });
    await postWebhook(stack, 'clients', {
      clients: [
        { clientId: clientA, name: 'Acme North', groupId, version: 1 },
        { clientId: clientB, name: 'Acme South', groupId, version: 1 },
      ],
    });
    await postWebhook(stack, 'orders', {
      orders: [
        order({ orderId: uniqueId('O'), clientId: clientA, date: '2026-11-02', amount: '100000.00', status: 'completed' }),
        order({ orderId: uniqueId('O'), clientId: clientB, date: '2026-11-20T10:00:00+03:00', amount: '75000.00', status: 'shipped' }),
      ],
    });
    await postWebhook(stack, 'prices', { prices: [{ sku: 'VALVE-15', brand: 'Valtec', price: '12.25', version: 1 }] });

    const started = await fetch(`${stack.url}/admin/recalculate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ asOf: '2026-11-21' }),
    });
    const { runId } = (await started.json()) as { runId: string };
    const run = await eventually('the run to finish', async () => {
      const { body } = await getJson(stack, `/admin/runs/${runId}`, DEV_SECRETS.ADMIN_TOKEN);
      return body.status === 'running' ? undefined : body;
    });
    expect(run).toMatchObject({ status: 'succeeded', changed: 1, up: 1, down: 0 });

    const email = await eventually('the tier-up email in the SES store', async () => {
      const store = (await (await fetch(`${stack.endpoints.sesEndpoint}/store`)).json()) as { emails: any[] };
      return store.emails.find((sent) => JSON.stringify(sent.destination).includes(contact));
    });
    expect(email.subject).toContain('Silver');
    expect(email.body.text).toContain('175,000.00');
    expect(email.body.html).toContain('Silver');

    const callback = await eventually('the ERP callback', () => callbacks.find((received) => received.body.includes(groupId)));
    expect(verifyWebhookSignature(callback.headers['x-signature'] as string, callback.body, DEV_SECRETS.WEBHOOK_SECRET)).toBe('valid');
    expect(JSON.parse(callback.body)).toEqual({
      eventId: `${groupId}/2026-11-21/1`,
      groupId,
      clientIds: [clientA, clientB].sort(),
      tierId: 'silver',
      discountPercent: 4,
      benefitCodes: [],
      effectiveFrom: '2026-11-21',
    });

    const prices = await getJson(stack, `/groups/${groupId}/prices?sku=VALVE-15&sku=NOPE`);
    expect(prices.body).toEqual({
      groupId,
      tierId: 'silver',
      discountPercent: 4,
      prices: [{ sku: 'VALVE-15', basePrice: '12.25', price: '11.76' }],
      missing: ['NOPE'],
    });
  });
});
