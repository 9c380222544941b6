import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { tableName } from '../../lib/config.js';
import { MAX_BODY_BYTES } from '../../lib/http/api.js';
import { signWebhook } from '../../lib/http/signature.js';
import { apiGatewayEvent, loadFunctionHandler } from '../../lib/local/http-gateway.js';
import { invokeLocally, lambdaContext } from '../../lib/local/lambda-context.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { postWebhook, testStack } from '../support/local-stack.js';

/** A valid, signable orders batch padded with JSON whitespace to exactly `bytes` bytes. */
function paddedBatch(orderId: string, bytes: number): string {
  const json = JSON.stringify({
    orders: [{ orderId, clientId: 'C-1', date: '2026-11-10', amount: '100.00', currency: 'RUB', status: 'paid', version: 1 }],
  });
  return json + ' '.repeat(bytes - Buffer.byteLength(json));
}

async function isStored(orderId: string): Promise<boolean> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('orders'), Key: { orderId } }));
  return Item !== undefined;
}

describe('1 MiB body limit', () => {
  it('uses 1 MiB as the limit', () => {
    expect(MAX_BODY_BYTES).toBe(1_048_576);
  });

  it('stores a signed batch of exactly 1 MiB', async () => {
    const rawBody = paddedBatch('O-AT-LIMIT', MAX_BODY_BYTES);
    expect(await postWebhook(testStack(), 'orders', undefined, { rawBody })).toEqual({ status: 202, body: { accepted: 1, unchanged: 0 } });
    expect(await isStored('O-AT-LIMIT')).toBe(true);
  });

  it('refuses a valid signed batch one byte over 1 MiB with 413 and stores nothing', async () => {
    const rawBody = paddedBatch('O-OVER-LIMIT', MAX_BODY_BYTES + 1);
    const response = await postWebhook(testStack(), 'orders', undefined, { rawBody });
    expect(response).toEqual({ status: 413, body: { error: 'payload_too_large', message: expect.any(String), issues: [{ path: '(body)', message: expect.any(String) }] } });
    expect(await isStored('O-OVER-LIMIT')).toBe(false);
  });

  it('counts bytes, not characters: a body under 1 MiB in characters but over it in UTF-8 bytes is refused', async () => {
    const order = { orderId: 'O-CYRILLIC', clientId: 'C-1', date: '2026-11-10', amount: '100.00', currency: 'RUB', status: 'paid', version: 1 };
    const overhead = Buffer.byteLength(JSON.stringify({ orders: [{ ...order, note: '' }] }));
    // "Ж" takes two bytes in UTF-8; unknown fields such as `note` are otherwise ignored, so only the size can refuse it.
    const rawBody = JSON.stringify({ orders: [{ ...order, note: 'Ж'.repeat(Math.floor((MAX_BODY_BYTES - overhead) / 2) + 1) }] });
    expect(rawBody.length).toBeLessThan(MAX_BODY_BYTES);
    expect(Buffer.byteLength(rawBody)).toBeGreaterThan(MAX_BODY_BYTES);
    const response = await postWebhook(testStack(), 'orders', undefined, { rawBody });
    expect(response.status).toBe(413);
    expect(await isStored('O-CYRILLIC')).toBe(false);
  });

  it('refuses a 5 MiB body before reading it, without a signature check or JSON parse', async () => {
    const rawBody = `{"orders": [${'x'.repeat(5 * MAX_BODY_BYTES)}`; // not even JSON: it must never be parsed
    const response = await postWebhook(testStack(), 'orders', undefined, { rawBody, signature: 'garbage' });
    expect(response.status).toBe(413);
  });

  it('the function itself refuses an over-limit event (API Gateway in AWS lets up to 10 MB through)', async () => {
    const rawBody = paddedBatch('O-LAMBDA-OVER-LIMIT', MAX_BODY_BYTES + 1);
    const handler = await loadFunctionHandler('ingest-orders');
    const event = apiGatewayEvent({
      method: 'POST',
      path: '/webhooks/orders',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', 'x-signature': signWebhook(DEV_SECRETS.WEBHOOK_SECRET, rawBody) },
      body: Buffer.from(rawBody),
      routeKey: 'POST /webhooks/orders',
    });
    const result = await invokeLocally(handler, event, lambdaContext('ingest-orders'));
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ error: 'payload_too_large' });
    expect(await isStored('O-LAMBDA-OVER-LIMIT')).toBe(false);
  });

  it('nothing but the at-limit batch reached the table', async () => {
    const { Items } = await dynamo.send(new ScanCommand({ TableName: tableName('orders'), ProjectionExpression: 'orderId' }));
    expect(Items?.map((item) => item.orderId)).toEqual(['O-AT-LIMIT']);
  });
});
