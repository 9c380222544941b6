import { DeleteMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { handler as sendTierEmail } from '../../functions/send-tier-email.js';
import { handler as updatePriceList } from '../../functions/update-price-list.js';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { tableName } from '../../lib/config.js';
import { addDays } from '../../lib/domain/business-date.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { order, uniqueId } from '../support/fixtures.js';
import { adminRequest } from '../support/admin.js';
import { postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue, receive } from '../support/queues.js';

/** The delivery ledger (§2.6): each change is owed to the email and price-list consumers until both recorded it. */

const sqs = new SQSClient({ endpoint: testStack().endpoints.sqsEndpoint });
afterAll(() => sqs.destroy());

const today = businessToday();
/** Each test runs its own, later as-of date: a date older than a group's last evaluation changes nothing. */
let nextAsOf = addDays(today, -20);

/** A group with its own contact that crosses into bronze with the next run. */
async function groupMovingUp(): Promise<{ groupId: string; contact: string }> {
  const groupId = uniqueId('G');
  const contact = `${groupId.toLowerCase()}@buyer.example`;
  await postWebhook(testStack(), 'groups', { groups: [{ groupId, name: `Group ${groupId}`, contacts: [contact], locale: 'en', version: 1 }] });
  await postWebhook(testStack(), 'clients', { clients: [{ clientId: `${groupId}-C`, name: 'Buyer', groupId, version: 1 }] });
  await postWebhook(testStack(), 'orders', {
    orders: [order({ orderId: uniqueId('O'), clientId: `${groupId}-C`, date: addDays(today, -30), amount: '70000.00' })],
  });
  return { groupId, contact };
}

/** Runs the next as-of date to the end, delivering its tasks to the worker; returns the run report. */
async function runNextDate(): Promise<any> {
  nextAsOf = addDays(nextAsOf, 1);
  const started = await adminRequest(testStack(), 'POST', '/admin/recalculate', { asOf: nextAsOf });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await drainQueue(testStack(), 'recalcTasks', recalcWorker);
  const run = await adminRequest(testStack(), 'GET', `/admin/runs/${started.body.runId}`);
  expect(run.body.status).toBe('succeeded');
  return run.body;
}

const owed = async () => (await adminRequest(testStack(), 'GET', '/admin/deliveries?state=owed')).body;
const owedOf = async (groupId: string) => (await owed()).deliveries.filter((delivery: any) => delivery.groupId === groupId);
const deliverEmails = () => drainQueue(testStack(), 'tierEmails', sendTierEmail, { batchSize: 10 });
const deliverPriceLists = () => drainQueue(testStack(), 'priceListUpdates', updatePriceList, { batchSize: 10 });
/** Loses every message of a queue (what a restart of the in-memory SQS server does to it). */
async function lose(queue: 'tierEmails' | 'priceListUpdates'): Promise<void> {
  for (let batch = await receive(testStack(), queue); batch.length > 0; batch = await receive(testStack(), queue)) {
    for (const message of batch) await sqs.send(new DeleteMessageCommand({ QueueUrl: testStack().queues[queue].url, ReceiptHandle: message.ReceiptHandle! }));
  }
}

async function emailsTo(contact: string): Promise<any[]> {
  const store = (await (await fetch(`${testStack().endpoints.sesEndpoint}/store`)).json()) as { emails: any[] };
  return store.emails.filter((email) => email.destination.to.includes(contact));
}

/** Makes a delivery look published `minutes` ago, as if it had sat unconsumed that long. */
async function agePublish(eventId: string, minutes: number): Promise<void> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('deliveries'), Key: { eventId } }));
  const publishedAt = new Date(Date.now() - minutes * 60_000).toISOString();
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName('deliveries'),
      Key: { eventId },
      UpdateExpression: 'SET publishedAt = :at, owedKey = :key',
      ConditionExpression: 'owedKey = :seen',
      ExpressionAttributeValues: { ':at': publishedAt, ':key': `${publishedAt}#${eventId}`, ':seen': Item!.owedKey },
    }),
  );
}

describe('delivery ledger', () => {
  it('owes a published change to both channels, and lets each consumer settle its own', async () => {
    const { groupId, contact } = await groupMovingUp();
    await runNextDate();
    const eventId = `${groupId}/${nextAsOf}/1`;
    expect(await owedOf(groupId)).toEqual([expect.objectContaining({ eventId, kind: 'tier-change', owed: ['email', 'priceList'], delivered: {}, publishCount: 1 })]);

    await deliverPriceLists();
    expect(await owedOf(groupId)).toEqual([
      expect.objectContaining({ eventId, owed: ['email'], delivered: { priceList: { at: expect.any(String), outcome: 'recorded' } } }),
    ]);

    await deliverEmails();
    expect(await owedOf(groupId)).toEqual([]);
    expect(await emailsTo(contact)).toHaveLength(1);
  });

  it('emails a change whose message was lost after publishing, once, when swept, without sending its price list again', async () => {
    const { groupId, contact } = await groupMovingUp();
    await runNextDate();
    await deliverPriceLists();
    await lose('tierEmails'); // the email message is gone (a purged queue, a restart of the local SQS server)
    expect(await owedOf(groupId)).toEqual([expect.objectContaining({ owed: ['email'] })]);

    const swept = await adminRequest(testStack(), 'POST', '/admin/deliveries/sweep', { olderThanMinutes: 0 });
    expect(swept.status).toBe(200);
    expect(swept.body).toMatchObject({ olderThanMinutes: 0, republished: 1, channels: { email: 1, priceList: 0 } });
    expect(await receive(testStack(), 'priceListUpdates')).toEqual([]);
    expect((await owedOf(groupId))[0]).toMatchObject({ owed: ['email'], publishCount: 2 });

    await deliverEmails();
    expect(await emailsTo(contact)).toHaveLength(1);
    expect(await owedOf(groupId)).toEqual([]);
    const again = await adminRequest(testStack(), 'POST', '/admin/deliveries/sweep', { olderThanMinutes: 0 });
    expect(again.body.republished).toBe(0);
  });

  it('owes a notice to the email channel only, and emails a notice lost after publishing once, when swept', async () => {
    const { groupId, contact } = await groupMovingUp();
    await runNextDate();
    await deliverPriceLists();
    await deliverEmails();
    // 138,000.00 in bronze: 12,000.00 short of silver (150,000.00), within 10 % of it: near the next tier.
    await postWebhook(testStack(), 'orders', {
      orders: [order({ orderId: uniqueId('O'), clientId: `${groupId}-C`, date: addDays(today, -29), amount: '68000.00' })],
    });
    const run = await runNextDate();
    expect(run.notices).toMatchObject({ nearNextTier: 1 });
    const eventId = `${groupId}/${nextAsOf}/near-next-tier`;
    expect(await owedOf(groupId)).toEqual([expect.objectContaining({ eventId, kind: 'near-next-tier', owed: ['email'], delivered: {} })]);
    expect(await receive(testStack(), 'priceListUpdates')).toEqual([]);

    await lose('tierEmails');
    const swept = await adminRequest(testStack(), 'POST', '/admin/deliveries/sweep', { olderThanMinutes: 0 });
    expect(swept.body).toMatchObject({ republished: 1, channels: { email: 1, priceList: 0 } });
    await deliverEmails();
    expect((await emailsTo(contact)).map((email) => email.subject)).toEqual([expect.stringContaining('Bronze'), expect.stringContaining('more to the Silver tier')]);
    expect(await owedOf(groupId)).toEqual([]);
    const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('deliveries'), Key: { eventId } }));
    expect(Item!.delivered).toEqual({ email: { at: expect.any(String), outcome: 'sent' } });
  });

  it('sends no second email when a consumer sent it but died before the ledger heard of it', async () => {
    const { groupId, contact } = await groupMovingUp();
    await runNextDate();
    const eventId = `${groupId}/${nextAsOf}/1`;
    await deliverPriceLists();
    await deliverEmails();
    // The crash between SES accepting the email and the ledger recording it: the ledger still owes the email.
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName('deliveries'),
        Key: { eventId },
        UpdateExpression: 'ADD #owed :email REMOVE delivered.email, settledAt, expiresAt SET owedShard = :shard, publishedAt = :at, owedKey = :key',
        ExpressionAttributeNames: { '#owed': 'owed' },
        ExpressionAttributeValues: { ':email': new Set(['email']), ':shard': 's000', ':at': '2000-01-01T00:00:00.000Z', ':key': `2000-01-01T00:00:00.000Z#${eventId}` },
      }),
    );

    expect((await adminRequest(testStack(), 'POST', '/admin/deliveries/sweep', {})).body).toMatchObject({ republished: 1, channels: { email: 1 } });
    await deliverEmails();
    expect(await emailsTo(contact)).toHaveLength(1); // the idempotency record of the first send answers the redelivery
    expect(await owedOf(groupId)).toEqual([]);
  });

  it('leaves changes published less than REDELIVER_AFTER_MINUTES (15) ago alone, and the closing sweep of a run republishes older ones', async () => {
    const first = await groupMovingUp();
    await runNextDate();
    const eventId = `${first.groupId}/${nextAsOf}/1`;
    await lose('tierEmails');
    await lose('priceListUpdates');
    expect((await adminRequest(testStack(), 'POST', '/admin/deliveries/sweep', {})).body).toMatchObject({ olderThanMinutes: 15, republished: 0 });

    await agePublish(eventId, 16);
    const second = await groupMovingUp();
    const run = await runNextDate();
    expect(run.deliveriesRepublished).toBe(1); // the first group's change; the second group's is brand new
    await deliverPriceLists();
    await deliverEmails();
    expect(await emailsTo(first.contact)).toHaveLength(1);
    expect(await emailsTo(second.contact)).toHaveLength(1);
    expect(await owedOf(first.groupId)).toEqual([]);
    expect(await owedOf(second.groupId)).toEqual([]);
  });

  it('answers 422 naming state for anything but owed, 422 for a bad sweep age, and 401 without the admin token', async () => {
    const wrongState = await adminRequest(testStack(), 'GET', '/admin/deliveries?state=delivered');
    expect(wrongState.status).toBe(422);
    expect(wrongState.body.issues).toEqual([expect.objectContaining({ path: 'state' })]);
    const wrongAge = await adminRequest(testStack(), 'POST', '/admin/deliveries/sweep', { olderThanMinutes: -1 });
    expect(wrongAge.status).toBe(422);
    expect(wrongAge.body.issues).toEqual([expect.objectContaining({ path: 'olderThanMinutes' })]);
    const anonymous = await fetch(`${testStack().url}/admin/deliveries?state=owed`);
    expect(anonymous.status).toBe(401);
  });
});
