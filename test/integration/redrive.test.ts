import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { eventually } from '../support/fan-out.js';
import { adminRequest } from '../support/admin.js';
import { testStack } from '../support/local-stack.js';

/** `npm run redrive -- <queue>`: a dead-letter queue's messages back to their queue, with SQS StartMessageMoveTask. */

const sqs = new SQSClient({ endpoint: testStack().endpoints.sqsEndpoint });
afterAll(() => sqs.destroy());

const depth = async (url: string) =>
  Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages);

describe('redrive', () => {
  it('moves every message of tier-emails-dlq back to tier-emails and says how many moved', async () => {
    const { url, deadLetterUrl } = testStack().queues.tierEmails;
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: deadLetterUrl, Entries: ['a', 'b', 'c'].map((body) => ({ Id: body, MessageBody: `{"dead":"${body}"}` })) }));

    const { code, stdout } = await runCli(testStack(), 'redrive-cli.ts', ['tier-emails']);
    expect(stdout).toContain('moving 3 message(s) from');
    expect(stdout).toContain("moved 3 message(s) from tier-emails-dlq to tier-emails; 0 left in the dead-letter queue");
    expect(code).toBe(0);
    expect(await depth(url)).toBe(3);
    expect(await depth(deadLetterUrl)).toBe(0);

    const status = await adminRequest(testStack(), 'GET', '/admin/queues/tier-emails-dlq/redrive');
    expect(status.body).toMatchObject({ queue: 'tier-emails', deadLetterQueue: 'tier-emails-dlq', redrive: { status: 'COMPLETED', moved: 3 }, inDeadLetterQueue: 0 });
  });

  it('starts through the API with 202 and reports an empty dead-letter queue', async () => {
    const started = await adminRequest(testStack(), 'POST', '/admin/queues/price-list-updates/redrive');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ started: true, queue: 'price-list-updates', inDeadLetterQueue: 0 });
    const done = await eventually('the move to finish', async () => {
      const { body } = await adminRequest(testStack(), 'GET', '/admin/queues/price-list-updates/redrive');
      return body.redrive?.status === 'RUNNING' ? undefined : body;
    });
    expect(done.redrive).toMatchObject({ status: 'COMPLETED', moved: 0 });
  });

  it('answers 404 naming the queues for an unknown one', async () => {
    const unknown = await adminRequest(testStack(), 'POST', '/admin/queues/nope/redrive');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('No queue nope; the queues are recalc-tasks, tier-emails, price-list-updates, email-send-events');
    const usage = await runCli(testStack(), 'redrive-cli.ts', []);
    expect(usage.code).toBe(2);
  });
});
