import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { tableName } from '../../lib/config.js';
import type { TierChange } from '../../lib/domain/group-evaluation.js';
import { verifyWebhookSignature } from '../../lib/http/signature.js';
import { invokeLocally, lambdaContext } from '../../lib/local/lambda-context.js';
import { sqsRecord, type SqsHandler } from '../../lib/local/queue-poller.js';
import { DEV_SECRETS, startLocalStack, type LocalStack } from '../../lib/local/stack.js';
import { ingestClients, ingestGroups } from '../../lib/use-cases/ingest.js';
import { consumeUntil } from '../support/fan-out.js';
import { uniqueId } from '../support/fixtures.js';

interface ErpRequest {
  body: string;
  signature: string | undefined;
}

let stack: LocalStack;
let sqs: SQSClient;
let erp: Server;
const erpRequests: ErpRequest[] = [];
/** Statuses the fake ERP answers with, in order; 200 once they run out. */
const erpAnswers: number[] = [];
let handler: SqsHandler;
let tierChangeMessageBody: (change: TierChange) => string;

beforeAll(async () => {
  // The ERP: a local HTTP server that records what it receives and answers with the queued statuses.
  erp = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      erpRequests.push({ body: Buffer.concat(chunks).toString('utf8'), signature: request.headers['x-signature'] as string | undefined });
      response.writeHead(erpAnswers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => erp.listen(0, '127.0.0.1', resolve));
  process.env.ERP_CALLBACK_URL = `http://127.0.0.1:${(erp.address() as AddressInfo).port}/price-lists`;
  // A stack of this file's own with a 1 s visibility timeout, so SQS retries happen within the test; the
  // consumer is imported after it, so it reads this stack's tables and queues and the ERP URL above.
  stack = await startLocalStack({
    endpoints: inject('endpoints'),
    prefix: `pl${randomBytes(4).toString('hex')}-`,
    visibilityTimeoutSeconds: { priceListUpdates: 1 },
  });
  sqs = new SQSClient({ endpoint: stack.endpoints.sqsEndpoint });
  ({ handler } = await import('../../functions/update-price-list.js'));
  ({ tierChangeMessageBody } = await import('../../lib/adapters/sqs/tier-change-message.js'));
});

afterAll(async () => {
  delete process.env.ERP_CALLBACK_URL;
  sqs?.destroy();
  await stack?.close();
  await new Promise((resolve) => erp?.close(resolve));
});

async function assignmentsOf(groupId: string) {
  const { Items } = await dynamo.send(
    new QueryCommand({ TableName: tableName('priceAssignments'), KeyConditionExpression: 'groupId = :g', ExpressionAttributeValues: { ':g': groupId } }),
  );
  return Items ?? [];
}

describe('update-price-list consumer', () => {
  it('ERP answering 500 then 200: the callback is retried through SQS until delivered, signed per §3.2, and the assignment is applied once', async () => {
    const groupId = uniqueId('G');
    const members = [uniqueId('C'), uniqueId('C')].sort();
    await ingestGroups([{ groupId, name: 'ГК Ромашка', contacts: [], locale: 'ru', version: 1 }]);
    await ingestClients(members.map((clientId) => ({ clientId, name: clientId, groupId, version: 1 })));
    const change: TierChange = { eventId: `${groupId}/2026-11-21/1`, groupId, asOf: '2026-11-21', from: 'base', to: 'bronze', direction: 'up', sum: 5_000_000n, qualifyingSum: 5_000_000n, reason: 'sum', seq: 1 };
    erpAnswers.push(500);
    const outcomes: SQSBatchResponse[] = [];
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.priceListUpdates.url, MessageBody: tierChangeMessageBody(change) }));

    await consumeUntil(
      sqs,
      stack,
      'priceListUpdates',
      async (event, context) => {
        const result = (await handler(event, context)) as SQSBatchResponse;
        outcomes.push(result);
        return result;
      },
      () => outcomes.some((outcome) => outcome.batchItemFailures.length === 0),
      'the callback to be delivered',
    );

    expect(outcomes.map((outcome) => outcome.batchItemFailures.length)).toEqual([1, 0]);
    expect(erpRequests).toHaveLength(2);
    const expected = { eventId: change.eventId, groupId, clientIds: members, tierId: 'bronze', discountPercent: 2, benefitCodes: [], effectiveFrom: '2026-11-21' };
    for (const request of erpRequests) {
      expect(verifyWebhookSignature(request.signature, request.body, DEV_SECRETS.WEBHOOK_SECRET)).toBe('valid');
      expect(JSON.parse(request.body)).toEqual(expected);
    }
    const assignments = await assignmentsOf(groupId);
    expect(assignments).toHaveLength(1);
    expect(assignments[0]).toMatchObject({ tierId: 'bronze', discountPercent: 2, effectiveFrom: '2026-11-21', eventId: change.eventId });
  });

  it('a redelivered change re-sends the callback but keeps one assignment; a later change adds to the history', async () => {
    const groupId = uniqueId('G');
    const up: TierChange = { eventId: `${groupId}/2026-11-21/1`, groupId, asOf: '2026-11-21', from: 'base', to: 'silver', direction: 'up', sum: 20_000_000n, qualifyingSum: 20_000_000n, reason: 'sum', seq: 1 };
    const down: TierChange = { ...up, eventId: `${groupId}/2026-12-01/2`, asOf: '2026-12-01', from: 'silver', to: 'bronze', direction: 'down', sum: 6_000_000n, qualifyingSum: 6_000_000n, seq: 2 };
    const delivery = (change: TierChange) => ({
      Records: [sqsRecord({ MessageId: randomUUID(), ReceiptHandle: randomUUID(), Body: tierChangeMessageBody(change) }, stack.queues.priceListUpdates.arn)],
    });
    const before = erpRequests.length;

    for (const change of [up, up, down]) {
      const result = (await invokeLocally(handler, delivery(change), lambdaContext('update-price-list'))) as SQSBatchResponse;
      expect(result.batchItemFailures).toEqual([]);
    }

    expect(erpRequests.slice(before).map((request) => JSON.parse(request.body).eventId)).toEqual([up.eventId, up.eventId, down.eventId]);
    expect((await assignmentsOf(groupId)).map(({ tierId, discountPercent, effectiveFrom }) => ({ tierId, discountPercent, effectiveFrom }))).toEqual([
      { tierId: 'silver', discountPercent: 4, effectiveFrom: '2026-11-21' },
      { tierId: 'bronze', discountPercent: 2, effectiveFrom: '2026-12-01' },
    ]);
  });
});
