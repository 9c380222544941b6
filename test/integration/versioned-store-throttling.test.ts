import { BatchExecuteStatementCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { tableName } from '../../lib/config.js';
import { postWebhook, testStack } from '../support/local-stack.js';

function order(orderId: string) {
  return { orderId, clientId: 'C-1', date: '2026-11-10', amount: '10.00', currency: 'RUB', status: 'paid', version: 1 };
}

describe('conditional batch writes under throttling (a fault the local server cannot produce: one statement answer is replaced)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('retries a throttled statement of a batch and stores every order once, counted as accepted', async () => {
    const send = dynamo.send.bind(dynamo);
    let throttled = false;
    vi.spyOn(dynamo, 'send').mockImplementation(async (command: any) => {
      if (throttled || !(command instanceof BatchExecuteStatementCommand)) return send(command);
      throttled = true;
      // The second statement is not executed and answers ThrottlingError, as DynamoDB does under load.
      const statements = command.input.Statements!;
      const result = await send(new BatchExecuteStatementCommand({ Statements: statements.filter((_, index) => index !== 1) }));
      const responses = [...(result.Responses ?? [])];
      responses.splice(1, 0, { Error: { Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity' } });
      return { ...result, Responses: responses };
    });
    const orders = ['THR-1', 'THR-2', 'THR-3'].map(order);
    const response = await postWebhook(testStack(), 'orders', { orders });
    expect(throttled).toBe(true);
    expect(response).toMatchObject({ status: 202, body: { accepted: 3, unchanged: 0 } });
    for (const { orderId } of orders) {
      const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('orders'), Key: { orderId }, ConsistentRead: true }));
      expect(Item).toMatchObject({ orderId, version: 1 });
    }
  });
});
