import { SendEmailCommand, SESServiceException } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { handler as recordEmailSend } from '../../functions/record-email-send.js';
import { handler as sendTierEmail } from '../../functions/send-tier-email.js';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { ses } from '../../lib/adapters/ses/email.js';
import { tableName } from '../../lib/config.js';
import { addDays } from '../../lib/domain/business-date.js';
import { invokeLocally, lambdaContext } from '../../lib/local/lambda-context.js';
import { sqsRecord } from '../../lib/local/queue-poller.js';
import { forwardSesSendEventsOnce } from '../../lib/local/ses-send-events.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { adminRequest } from '../support/admin.js';
import { order, uniqueId } from '../support/fixtures.js';
import { postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue, receive } from '../support/queues.js';

/**
 * An email attempt that ends unseen — the consumer dies, or SES's answer never arrives — after SES took the
 * email or before: the retry reads SES's Send event (configuration set → SNS → email-send-events → ledger)
 * and sends only when SES never took it. Each fault is injected by wrapping the SES client's `send`, since
 * the local SES server cannot lose its own answer; the real call still goes through where the test says so.
 */

const sqs = new SQSClient({ endpoint: testStack().endpoints.sqsEndpoint });
afterAll(() => sqs.destroy());
afterEach(() => vi.restoreAllMocks());

const today = businessToday();
let nextAsOf = addDays(today, -20);

/** A group with its own contact, moved up by a run of the next as-of date; returns the change's email message. */
async function groupWithOwedEmail(): Promise<{ groupId: string; contact: string; eventId: string; emailEvent: SQSEvent }> {
  const groupId = uniqueId('G');
  const contact = `${groupId.toLowerCase()}@buyer.example`;
  await postWebhook(testStack(), 'groups', { groups: [{ groupId, name: `Group ${groupId}`, contacts: [contact], locale: 'en', version: 1 }] });
  await postWebhook(testStack(), 'clients', { clients: [{ clientId: `${groupId}-C`, name: 'Buyer', groupId, version: 1 }] });
  await postWebhook(testStack(), 'orders', { orders: [order({ orderId: uniqueId('O'), clientId: `${groupId}-C`, date: addDays(today, -30), amount: '70000.00' })] });
  nextAsOf = addDays(nextAsOf, 1);
  const started = await adminRequest(testStack(), 'POST', '/admin/recalculate', { asOf: nextAsOf });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await drainQueue(testStack(), 'recalcTasks', recalcWorker);
  const [message, ...others] = await receive(testStack(), 'tierEmails');
  expect(others).toEqual([]);
  return { groupId, contact, eventId: `${groupId}/${nextAsOf}/1`, emailEvent: { Records: [sqsRecord(message!, testStack().queues.tierEmails.arn)] } };
}

/** One delivery of the email message to the consumer, as a Lambda invocation; the number of records that failed. */
async function deliver(event: SQSEvent): Promise<number> {
  const result = (await invokeLocally(sendTierEmail, event, lambdaContext('send-tier-email'))) as SQSBatchResponse;
  return result.batchItemFailures.length;
}

async function emailsTo(contact: string): Promise<{ messageId: string }[]> {
  const store = (await (await fetch(`${testStack().endpoints.sesEndpoint}/store`)).json()) as { emails: any[] };
  return store.emails.filter((email) => email.destination.to.includes(contact));
}

async function ledgerItem(eventId: string): Promise<Record<string, any>> {
  return (await dynamo.send(new GetCommand({ TableName: tableName('deliveries'), Key: { eventId }, ConsistentRead: true }))).Item!;
}

/** SNS's part: SES's Send events into their queue, then the recorder consumes them. */
async function recordSesSendEvents(): Promise<void> {
  await forwardSesSendEventsOnce(testStack().endpoints.sesEndpoint, sqs, testStack().queues.emailSendEvents.url, 0);
  await drainQueue(testStack(), 'emailSendEvents', recordEmailSend, { batchSize: 10 });
}

const realSend = ses.send.bind(ses);
/** SES's answer is lost after it took the email: the SDK call fails as a reset connection does, with no HTTP status. */
const answerLostAfterSesTookIt = () =>
  vi.spyOn(ses, 'send').mockImplementationOnce((async (command: SendEmailCommand) => {
    await realSend(command);
    throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  }) as never);

describe('an email attempt that ended unseen', () => {
  it('SES took it but its answer was lost (injected): the retry waits for the Send event, finds it, and sends nothing more', async () => {
    const { groupId, contact, eventId, emailEvent } = await groupWithOwedEmail();
    answerLostAfterSesTookIt();

    expect(await deliver(emailEvent)).toBe(1);
    expect(await emailsTo(contact)).toHaveLength(1);
    expect(await deliver(emailEvent)).toBe(1); // SES's Send event has not reached the ledger yet: wait, send nothing
    expect(await emailsTo(contact)).toHaveLength(1);

    await recordSesSendEvents();
    const [email] = await emailsTo(contact);
    expect((await ledgerItem(eventId)).sesAccepted).toMatchObject({ messageId: email!.messageId });
    expect(await deliver(emailEvent)).toBe(0);
    expect(await deliver(emailEvent)).toBe(0); // a later redelivery is answered by the stored outcome
    expect(await emailsTo(contact)).toHaveLength(1);
    const item = await ledgerItem(eventId);
    expect(item.delivered.email.outcome).toBe('sent');
    expect((await adminRequest(testStack(), 'GET', '/admin/deliveries?state=owed')).body.deliveries.filter((owed: any) => owed.groupId === groupId)).toEqual([
      expect.objectContaining({ owed: ['priceList'] }),
    ]);
  });

  it('SES never got it (the call failed unanswered, injected): the retry waits SES_SEND_EVENT_WAIT_SECONDS (300) for a Send event, then sends it once', async () => {
    const { contact, eventId, emailEvent } = await groupWithOwedEmail();
    vi.spyOn(ses, 'send').mockRejectedValueOnce(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }) as never);

    expect(await deliver(emailEvent)).toBe(1);
    await recordSesSendEvents();
    expect(await deliver(emailEvent)).toBe(1); // 0 s after the attempt: SES may still publish its event
    expect(await emailsTo(contact)).toEqual([]);

    const attemptAt = (await ledgerItem(eventId)).emailAttemptAt as string;
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName('deliveries'),
        Key: { eventId },
        UpdateExpression: 'SET emailAttemptAt = :earlier',
        ExpressionAttributeValues: { ':earlier': new Date(Date.parse(attemptAt) - 301_000).toISOString() },
      }),
    );
    expect(await deliver(emailEvent)).toBe(0);
    expect(await emailsTo(contact)).toHaveLength(1);
    expect((await ledgerItem(eventId)).delivered.email.outcome).toBe('sent');
  });

  it('SES refused it (throttling answered with HTTP 400, injected): the attempt is forgotten and the retry sends at once', async () => {
    const { contact, eventId, emailEvent } = await groupWithOwedEmail();
    const throttling = new SESServiceException({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Maximum sending rate exceeded.' });
    vi.spyOn(ses, 'send').mockRejectedValueOnce(throttling as never);

    expect(await deliver(emailEvent)).toBe(1);
    expect((await ledgerItem(eventId)).emailAttemptAt).toBeUndefined();
    expect(await deliver(emailEvent)).toBe(0);
    expect(await emailsTo(contact)).toHaveLength(1);
  });

  it('SES publishes a Send event only for sends through a configuration set, tagged with the eventId the consumer set', async () => {
    const { contact, eventId, emailEvent } = await groupWithOwedEmail();
    expect(await deliver(emailEvent)).toBe(0);
    const [email] = await emailsTo(contact);
    const { events } = (await (await fetch(`${testStack().endpoints.sesEndpoint}/send-events?after=0`)).json()) as { events: { body: string }[] };
    const bodies = events.map((event) => JSON.parse(event.body)).filter((body) => body.mail.messageId === email!.messageId);
    expect(bodies).toEqual([
      expect.objectContaining({
        eventType: 'Send',
        mail: expect.objectContaining({ destination: [contact], tags: { 'ses:configuration-set': ['tier-engine-local'], eventId: [Buffer.from(eventId).toString('base64url')] } }),
      }),
    ]);

    await realSend(new SendEmailCommand({ Source: 'tiers@localhost.example', Destination: { ToAddresses: [`plain-${contact}`] }, Message: { Subject: { Data: 'no set' }, Body: { Text: { Data: 'x' } } } }));
    const [plain] = await emailsTo(`plain-${contact}`);
    const after = (await (await fetch(`${testStack().endpoints.sesEndpoint}/send-events?after=0`)).json()) as { events: { body: string }[] };
    expect(after.events.some((event) => JSON.parse(event.body).mail.messageId === plain!.messageId)).toBe(false);
  });
});
