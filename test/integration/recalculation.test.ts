import { describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { order, uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue, receive } from '../support/queues.js';

async function recalculate(asOf: string): Promise<any> {
  const stack = testStack();
  const response = await fetch(`${stack.url}/admin/recalculate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ asOf }),
  });
  expect(response.status).toBe(202);
  const { runId } = (await response.json()) as { runId: string };
  await drainQueue(stack, 'recalcTasks', recalcWorker);
  const run = await getJson(stack, `/admin/runs/${runId}`, DEV_SECRETS.ADMIN_TOKEN);
  expect(run.body.status).toBe('succeeded');
  return run.body;
}

async function drainFanOut(): Promise<any[]> {
  const stack = testStack();
  const bodies: any[] = [];
  for (;;) {
    const messages = await receive(stack, 'tierEmails');
    if (messages.length === 0) break;
    bodies.push(...messages.map((message) => JSON.parse(message.Body!)));
    // leave them in flight: the test only counts what was published
  }
  return bodies;
}

describe('nightly recalculation', () => {
  it('counts an order on D−89 and not on D−90, and moves the group up with one published change', async () => {
    const stack = testStack();
    const client = uniqueId('C');
    await postWebhook(stack, 'orders', {
      orders: [
        order({ orderId: uniqueId('O'), clientId: client, date: '2026-08-24', amount: '30000.00' }), // D−89
        order({ orderId: uniqueId('O'), clientId: client, date: '2026-08-23', amount: '90000.00' }), // D−90
        order({ orderId: uniqueId('O'), clientId: client, date: '2026-11-21', amount: '20000.00' }), // D
      ],
    });
    const run = await recalculate('2026-11-21');
    expect(run.changed).toBeGreaterThanOrEqual(1);
    const status = await getJson(stack, `/groups/${client}`);
    expect(status.body).toMatchObject({ asOf: '2026-11-21', sum90d: '50000.00', tier: { id: 'bronze' }, tierSince: '2026-11-21' });
    const published = (await drainFanOut()).filter((change) => change.groupId === client);
    expect(published).toEqual([expect.objectContaining({ eventId: `${client}/2026-11-21/1`, from: 'base', to: 'bronze', direction: 'up', sum: '5000000' })]);
    const history = await getJson(stack, `/groups/${client}/history`);
    expect(history.body.changes).toEqual([expect.objectContaining({ eventId: `${client}/2026-11-21/1`, to: 'bronze', sum90d: '50000.00' })]);
  });
});
