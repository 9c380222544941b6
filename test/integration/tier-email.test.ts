import { randomBytes, randomUUID } from 'node:crypto';
import { SendEmailCommand, SESServiceException } from '@aws-sdk/client-ses';
import { ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { TierChange } from '../../lib/domain/group-evaluation.js';
import { invokeLocally, lambdaContext } from '../../lib/local/lambda-context.js';
import { sqsRecord, type SqsHandler } from '../../lib/local/queue-poller.js';
import { startLocalStack, type LocalStack } from '../../lib/local/stack.js';
import { metrics } from '../../lib/observability.js';
import { ingestGroups } from '../../lib/use-cases/ingest.js';
import { consumeUntil } from '../support/fan-out.js';
import { uniqueId } from '../support/fixtures.js';

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

let stack: LocalStack;
let sqs: SQSClient;
let handler: SqsHandler;
let tierChangeMessageBody: (change: TierChange) => string;
let ses: (typeof import('../../lib/adapters/ses/email.js'))['ses'];

beforeAll(async () => {
  // A stack of this file's own with a 1 s visibility timeout, so SQS retries and the redrive to the DLQ
  // happen within a test. The consumer is imported after it, so it reads this stack's tables and queues.
  stack = await startLocalStack({ endpoints: inject('endpoints'), prefix: `te${randomBytes(4).toString('hex')}-`, visibilityTimeoutSeconds: { tierEmails: 1 } });
  sqs = new SQSClient({ endpoint: stack.endpoints.sqsEndpoint });
  ({ handler } = await import('../../functions/send-tier-email.js'));
  ({ tierChangeMessageBody } = await import('../../lib/adapters/sqs/tier-change-message.js'));
  ({ ses } = await import('../../lib/adapters/ses/email.js'));
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.close();
});

function tierChange(groupId: string, fields: Partial<TierChange> = {}): TierChange {
  const change = { groupId, asOf: '2026-11-21', from: 'bronze', to: 'silver', direction: 'up' as const, sum: 17_500_000n, reason: 'sum' as const, seq: 1, ...fields };
  return { eventId: `${groupId}/${change.asOf}/${change.seq}`, qualifyingSum: change.sum, ...change };
}

/** A group with one contact address of its own, so its emails can be told apart in the shared SES store. */
async function groupWithContact(locale: 'ru' | 'en', name = 'ГК Ромашка'): Promise<{ groupId: string; contact: string }> {
  const groupId = uniqueId('G');
  const contact = `${groupId.toLowerCase()}@buyer.example`;
  await ingestGroups([{ groupId, name, contacts: [contact], locale, version: 1 }]);
  return { groupId, contact };
}

/** An SQS event as Lambda builds it for messages received from the email queue. */
function sqsEvent(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((Body) => sqsRecord({ MessageId: randomUUID(), ReceiptHandle: randomUUID(), Body }, stack.queues.tierEmails.arn)),
  };
}

async function invoke(event: SQSEvent): Promise<SQSBatchResponse> {
  return (await invokeLocally(handler, event, lambdaContext('send-tier-email'))) as SQSBatchResponse;
}

async function storedEmails(): Promise<StoredEmail[]> {
  const response = await fetch(`${stack.endpoints.sesEndpoint}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

async function emailsTo(address: string): Promise<StoredEmail[]> {
  return (await storedEmails()).filter((email) => email.destination.to.includes(address));
}

/** Intl separates thousands with a no-break space; tests compare against plain spaces. */
const plainSpaces = (text = '') => text.replace(/[\u00a0\u202f]/g, ' ');

async function publish(...bodies: string[]): Promise<string[]> {
  const { Successful } = await sqs.send(
    new SendMessageBatchCommand({ QueueUrl: stack.queues.tierEmails.url, Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })) }),
  );
  return (Successful ?? []).sort((a, b) => Number(a.Id) - Number(b.Id)).map((entry) => entry.MessageId!);
}

/** SES answers the next `calls` SendEmail calls with its throttling error (aws-sdk-client-mock), then sends for real. */
function throttleSes(calls: number) {
  const realSend = ses.send.bind(ses);
  const sesMock = mockClient(ses);
  const throttling = new SESServiceException({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Maximum sending rate exceeded.' });
  let sends = sesMock.on(SendEmailCommand);
  for (let call = 0; call < calls; call++) sends = sends.rejectsOnce(throttling);
  sends.callsFake((input) => realSend(new SendEmailCommand(input)));
  return sesMock;
}

describe('send-tier-email consumer', () => {
  it('emails a tier-up in Russian: subject names the tier; body has discount, benefits, 90-day sum and what buys the next tier', async () => {
    const { groupId, contact } = await groupWithContact('ru');

    const result = await invoke(sqsEvent(tierChangeMessageBody(tierChange(groupId))));

    expect(result.batchItemFailures).toEqual([]);
    const [email, ...others] = await emailsTo(contact);
    expect(others).toEqual([]);
    expect(email!.from).toBe('tiers@localhost.example');
    expect(email!.subject).toBe('Поздравляем: ваш новый уровень — «Серебро»');
    const text = plainSpaces(email!.body.text);
    expect(text).toContain('«ГК Ромашка» перешла на уровень «Серебро»');
    expect(text).toContain('Сумма покупок за 90 дней: 175 000,00 ₽');
    expect(text).toContain('Ваша дополнительная скидка: 4 %');
    expect(text).toContain('  — Приоритетная линия поддержки\n');
    expect(text).toContain('До уровня «Золото» осталось купить на 325 000,00 ₽.');
    expect(plainSpaces(email!.body.html)).toContain('<li>Приоритетная линия поддержки</li>');
  });

  it('emails a tier-down in English: subject names the new tier; body says how much brings the previous tier back', async () => {
    const { groupId, contact } = await groupWithContact('en', 'Acme & Sons <Wholesale>');
    const change = tierChange(groupId, { from: 'gold', to: 'silver', direction: 'down', sum: 40_000_000n });

    const result = await invoke(sqsEvent(tierChangeMessageBody(change)));

    expect(result.batchItemFailures).toEqual([]);
    const [email] = await emailsTo(contact);
    expect(email!.subject).toBe('Your tier has changed to Silver');
    const text = plainSpaces(email!.body.text);
    expect(text).toContain('the tier of Acme & Sons <Wholesale> has changed to Silver');
    expect(text).toContain('Your extra discount: 4%');
    expect(text).toContain('Purchases of RUB 100,000.00 more within 90 days will bring the Gold tier back.');
    expect(email!.body.html).toContain('Acme &amp; Sons &lt;Wholesale&gt;');
  });

  it('sends the emails of a batch one at a time, so a crash mid-batch leaves at most one email it cannot tell was sent', async () => {
    const recipients = await Promise.all(Array.from({ length: 5 }, () => groupWithContact('en')));
    const realSend = ses.send.bind(ses);
    let inFlight = 0;
    let mostInFlight = 0;
    // Observes only: every call goes through to the local SES server.
    const send = vi.spyOn(ses, 'send').mockImplementation((async (command: SendEmailCommand) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      try {
        return await realSend(command);
      } finally {
        inFlight--;
      }
    }) as never);
    try {
      const result = await invoke(sqsEvent(...recipients.map(({ groupId }) => tierChangeMessageBody(tierChange(groupId)))));
      expect(result.batchItemFailures).toEqual([]);
    } finally {
      send.mockRestore();
    }
    expect(mostInFlight).toBe(1);
    for (const { contact } of recipients) expect(await emailsTo(contact)).toHaveLength(1);
  });

  it('a group with no contacts gets no email, is counted in metrics, and its record succeeds (not retried)', async () => {
    const groupId = uniqueId('G');
    const name = `No contacts ${groupId}`;
    await ingestGroups([{ groupId, name, contacts: [], locale: 'en', version: 1 }]);
    const addMetric = vi.spyOn(metrics, 'addMetric'); // observes only: the call goes through to Powertools

    const result = await invoke(sqsEvent(tierChangeMessageBody(tierChange(groupId))));

    expect(result.batchItemFailures).toEqual([]);
    expect(addMetric).toHaveBeenCalledWith('TierEmailsSkippedNoContacts', 'Count', 1);
    addMetric.mockRestore();
    expect((await storedEmails()).filter((email) => email.body.text?.includes(name))).toEqual([]);
  });

  it('SES throttling on three calls in a row (injected with aws-sdk-client-mock, the only mock) fails the record; the SQS retry sends the email once', async () => {
    const { groupId, contact } = await groupWithContact('ru');
    const sesMock = throttleSes(3);
    const outcomes: SQSBatchResponse[] = [];
    try {
      await publish(tierChangeMessageBody(tierChange(groupId)));
      await consumeUntil(
        sqs,
        stack,
        'tierEmails',
        async (event, context) => {
          const result = (await handler(event, context)) as SQSBatchResponse;
          outcomes.push(result);
          return result;
        },
        async () => outcomes.some((outcome) => outcome.batchItemFailures.length === 0),
        'the retried email to succeed',
      );
    } finally {
      sesMock.restore();
    }

    expect(outcomes.map((outcome) => outcome.batchItemFailures.length)).toEqual([1, 0]);
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(4); // three refused calls, then the retry's one
    expect(await emailsTo(contact)).toHaveLength(1);
  });

  it('SES throttling once (injected) is tried again within the same delivery: one email, no SQS retry', async () => {
    const { groupId, contact } = await groupWithContact('en');
    const sesMock = throttleSes(1);
    try {
      expect((await invoke(sqsEvent(tierChangeMessageBody(tierChange(groupId))))).batchItemFailures).toEqual([]);
      expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(2);
    } finally {
      sesMock.restore();
    }
    expect(await emailsTo(contact)).toHaveLength(1);
  });

  it('a consumer crash after sending and before acknowledging: SQS redelivers the message and no second email is sent', async () => {
    const { groupId, contact } = await groupWithContact('en');
    const [messageId] = await publish(tierChangeMessageBody(tierChange(groupId)));
    let deliveries = 0;

    await consumeUntil(
      sqs,
      stack,
      'tierEmails',
      async (event, context) => {
        const result = await handler(event, context);
        if (event.Records.some((record) => record.messageId === messageId) && ++deliveries === 1) {
          throw new Error('crash after the email was sent, before the poller deletes the message');
        }
        return result;
      },
      async () => deliveries >= 2,
      'the redelivery after the crash',
    );

    expect(deliveries).toBe(2);
    expect(await emailsTo(contact)).toHaveLength(1);
  });

  it('a poison message goes to the DLQ after 5 receives while the rest of its batch is emailed once', async () => {
    const [first, second] = [await groupWithContact('ru'), await groupWithContact('en')];
    const poison = JSON.stringify({ eventId: 'broken', groupId: first.groupId, sum: 'a lot' });
    const [, poisonId] = await publish(tierChangeMessageBody(tierChange(first.groupId)), poison, tierChangeMessageBody(tierChange(second.groupId)));
    const batches: { ids: string[]; failed: string[] }[] = [];

    await consumeUntil(
      sqs,
      stack,
      'tierEmails',
      async (event, context) => {
        const result = (await handler(event, context)) as SQSBatchResponse;
        batches.push({ ids: event.Records.map((record) => record.messageId), failed: result.batchItemFailures.map((failure) => failure.itemIdentifier) });
        return result;
      },
      async () => {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.queues.tierEmails.deadLetterUrl, WaitTimeSeconds: 0 }));
        return Messages?.some((message) => message.Body === poison) ?? false;
      },
      'the poison message in the dead-letter queue',
    );

    expect(batches[0]!.ids).toHaveLength(3);
    expect(batches[0]!.failed).toEqual([poisonId]);
    expect(batches.filter((batch) => batch.ids.includes(poisonId!))).toHaveLength(5);
    expect(await emailsTo(first.contact)).toHaveLength(1);
    expect(await emailsTo(second.contact)).toHaveLength(1);
  });
});
