import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { tierChangeMessageBody } from '../../lib/adapters/sqs/tier-change-message.js';
import { tableName } from '../../lib/config.js';
import type { TierChange } from '../../lib/domain/group-evaluation.js';
import { MAX_SUM_DIGITS } from '../../lib/domain/money.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { eventually } from '../support/fan-out.js';
import { uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';

/**
 * The largest sums travel the whole way (issue 10, case 4): 1,100 orders of the largest amount the schema
 * admits make a 21-digit sum of kopecks, which once failed both fan-out messages at `sum` on every delivery.
 */

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

const LARGEST_AMOUNT = '999999999999999.99';
const ORDERS = 1100;
/** A run reads 32 map and 32 reduce shards; on a loaded 2-core machine that can take a minute. */
const RUN_WAIT_MS = 120_000;

/** A group with a contact of its own (the SES store is shared) and one client, both through the webhooks. */
async function groupWithContact(): Promise<{ groupId: string; clientId: string; contact: string }> {
  const stack = testStack();
  const [groupId, clientId] = [uniqueId('G-MAX'), uniqueId('C-MAX')];
  const contact = `${groupId.toLowerCase()}@buyer.example`;
  expect((await postWebhook(stack, 'groups', { groups: [{ groupId, name: 'Max Holding', contacts: [contact], locale: 'en', version: 1 }] })).status).toBe(202);
  expect((await postWebhook(stack, 'clients', { clients: [{ clientId, name: 'Max', groupId, version: 1 }] })).status).toBe(202);
  return { groupId, clientId, contact };
}

const emailTo = (contact: string) =>
  eventually(`the email to ${contact} in the SES store`, async () => {
    const store = (await (await fetch(`${testStack().endpoints.sesEndpoint}/store`)).json()) as { emails: any[] };
    return store.emails.find((sent) => JSON.stringify(sent.destination).includes(contact));
  });

const priceAssignmentsOf = (groupId: string) =>
  eventually(`the price-list assignment of ${groupId}`, async () => {
    const { Items } = await dynamo.send(
      new QueryCommand({ TableName: tableName('priceAssignments'), KeyConditionExpression: 'groupId = :g', ExpressionAttributeValues: { ':g': groupId } }),
    );
    return Items?.length ? Items : undefined;
  });

/** Both fan-out queues and their dead-letter queues hold nothing: every message was consumed, none failed. */
async function expectFanOutDrained(): Promise<void> {
  const stack = testStack();
  const sqs = new SQSClient({ endpoint: stack.endpoints.sqsEndpoint });
  try {
    for (const queue of ['tierEmails', 'priceListUpdates'] as const) {
      for (const url of [stack.queues[queue].url, stack.queues[queue].deadLetterUrl]) {
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
        expect(Attributes?.ApproximateNumberOfMessages, `${url} still holds a message`).toBe('0');
      }
    }
  } finally {
    sqs.destroy();
  }
}

describe('the largest sums through a run, an email and a price-list update', () => {
  it('records platinum, emails the exact 21-digit sum and updates the price list, with nothing dead-lettered', async () => {
    const stack = testStack();
    const { groupId, clientId, contact } = await groupWithContact();
    const orders = Array.from({ length: ORDERS }, (_, i) => ({
      orderId: `${clientId}-${i}`,
      clientId,
      date: '2026-11-20',
      amount: LARGEST_AMOUNT,
      currency: 'RUB',
      status: 'paid',
      version: 1,
    }));
    for (let start = 0; start < ORDERS; start += 500) {
      expect((await postWebhook(stack, 'orders', { orders: orders.slice(start, start + 500) })).status).toBe(202);
    }

    const started = await fetch(`${stack.url}/admin/recalculate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ asOf: '2026-11-21' }),
    });
    const { runId } = (await started.json()) as { runId: string };
    const run = await eventually(
      'the run to finish',
      async () => {
        const { body } = await getJson(stack, `/admin/runs/${runId}`, DEV_SECRETS.ADMIN_TOKEN);
        return body.status === 'running' ? undefined : body;
      },
      RUN_WAIT_MS,
    );
    expect(run).toMatchObject({ status: 'succeeded', up: 1 });
    const sum90d = '1099999999999999989.00'; // 1,100 × 999,999,999,999,999.99
    expect((await getJson(stack, `/groups/${groupId}`)).body).toMatchObject({ sum90d, tier: { id: 'platinum' } });

    const email = await emailTo(contact);
    expect(email.subject).toContain('Platinum');
    expect(email.body.text).toContain('1,099,999,999,999,999,989.00');
    expect(await priceAssignmentsOf(groupId)).toEqual([expect.objectContaining({ tierId: 'platinum', discountPercent: 8, eventId: `${groupId}/2026-11-21/1` })]);
    const callback = await eventually('the ERP callback', () => callbacks.find((received) => received.body.includes(groupId)));
    expect(JSON.parse(callback.body)).toMatchObject({ tierId: 'platinum', discountPercent: 8 });
    await expectFanOutDrained();
  }, 3 * RUN_WAIT_MS);

  it(`carries the largest sum the store can hold (${MAX_SUM_DIGITS} digits of kopecks) to the email and the price list`, async () => {
    const stack = testStack();
    const { groupId, contact } = await groupWithContact();
    const sum = 10n ** BigInt(MAX_SUM_DIGITS) - 1n;
    const change: TierChange = { eventId: `${groupId}/2026-11-21/1`, groupId, asOf: '2026-11-21', from: 'base', to: 'platinum', direction: 'up', sum, qualifyingSum: sum, reason: 'sum', seq: 1 };
    const sqs = new SQSClient({ endpoint: stack.endpoints.sqsEndpoint });
    try {
      for (const queue of ['tierEmails', 'priceListUpdates'] as const) {
        await sqs.send(new SendMessageCommand({ QueueUrl: stack.queues[queue].url, MessageBody: tierChangeMessageBody(change) }));
      }
    } finally {
      sqs.destroy();
    }
    const email = await emailTo(contact);
    expect(email.body.text).toContain(`${'999,'.repeat(11)}999.99`);
    expect(await priceAssignmentsOf(groupId)).toEqual([expect.objectContaining({ tierId: 'platinum', eventId: change.eventId })]);
    await expectFanOutDrained();
  });
});
