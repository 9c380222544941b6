import { DeleteMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { addDays } from '../../lib/domain/business-date.js';
import defaultProgram from '../../lib/program/default-program.json' with { type: 'json' };
import { businessToday } from '../../lib/program/program-versions.js';
import type { QueueKey } from '../../lib/infra/resources.js';
import { runCli } from '../support/cli.js';
import { order, uniqueId } from '../support/fixtures.js';
import { adminRequest } from '../support/admin.js';
import { postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue, receive } from '../support/queues.js';

/** What a crashed local stack does when started again, and what the recalc CLI does with a run that is stuck. */

const sqs = new SQSClient({ endpoint: testStack().endpoints.sqsEndpoint });
afterAll(() => sqs.destroy());
const today = businessToday();

/** Every message of a queue, gone: what a restart does to the in-memory SQS server. */
async function lose(queue: QueueKey): Promise<number> {
  let lost = 0;
  for (let batch = await receive(testStack(), queue); batch.length > 0; batch = await receive(testStack(), queue)) {
    for (const message of batch) await sqs.send(new DeleteMessageCommand({ QueueUrl: testStack().queues[queue].url, ReceiptHandle: message.ReceiptHandle! }));
    lost += batch.length;
  }
  return lost;
}

async function buyers(count: number): Promise<void> {
  await postWebhook(testStack(), 'orders', {
    orders: Array.from({ length: count }, () => order({ orderId: uniqueId('O'), clientId: uniqueId('C'), date: addDays(today, -15), amount: '80000.00' })),
  });
}

describe('local stack recovery', () => {
  it('resumes every job still running and publishes again what the ledger owes, after a restart lost every message', async () => {
    await buyers(4);
    const first = await adminRequest(testStack(), 'POST', '/admin/recalculate', { asOf: addDays(today, -5) });
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
    expect((await adminRequest(testStack(), 'GET', `/admin/runs/${first.body.runId}`)).body.status).toBe('succeeded');
    await buyers(2);
    const second = await adminRequest(testStack(), 'POST', '/admin/recalculate', { asOf: addDays(today, -4) });
    expect(second.status).toBe(202);
    await drainQueue(testStack(), 'recalcTasks', recalcWorker, { maxBatches: 10 });
    // The crash: tasks of the second run and the first run's fan-out messages are gone with the SQS server.
    expect(await lose('recalcTasks')).toBe(22);
    expect(await lose('tierEmails')).toBe(4);
    expect(await lose('priceListUpdates')).toBe(4);

    const recovery = await testStack().recover();
    expect(recovery).toEqual({ resumed: [{ jobId: second.body.runId, kind: 'recalculation', asOf: addDays(today, -4), phase: 'map', requeued: 22 }], republished: 4 });
    expect((await receive(testStack(), 'tierEmails')).map((message) => JSON.parse(message.Body!).eventId).sort()).toHaveLength(4);
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
    expect((await adminRequest(testStack(), 'GET', `/admin/runs/${second.body.runId}`)).body).toMatchObject({ status: 'succeeded', changed: 2 });
    expect((await adminRequest(testStack(), 'GET', `/admin/runs/${first.body.runId}`)).body).toMatchObject({ status: 'succeeded', changed: 4 });
    expect(await testStack().recover()).toEqual({ resumed: [], republished: 6 }); // nothing consumed the fan-out yet: still owed, published again
  });

  it('resumes a simulation and a dormant report still running after a restart lost their tasks, and they succeed', async () => {
    await buyers(2);
    const candidate = structuredClone(defaultProgram);
    candidate.tiers[2]!.threshold = '75000'; // silver within reach of every buyer of this file (80 000 each)
    const simulation = await adminRequest(testStack(), 'POST', '/admin/simulations', { asOf: addDays(today, -2), program: candidate });
    const report = await adminRequest(testStack(), 'POST', '/admin/reports', { kind: 'dormant', asOf: addDays(today, -2) });
    expect([simulation.status, report.status]).toEqual([202, 202]);
    await drainQueue(testStack(), 'recalcTasks', recalcWorker, { maxBatches: 5 });
    expect(await lose('recalcTasks')).toBeGreaterThan(0);

    const { resumed } = await testStack().recover();
    expect(resumed.map(({ jobId, kind }) => ({ jobId, kind })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { jobId: report.body.reportId, kind: 'dormant-report' },
      { jobId: simulation.body.simulationId, kind: 'simulation' },
    ]);
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
    expect((await adminRequest(testStack(), 'GET', `/admin/simulations/${simulation.body.simulationId}`)).body).toMatchObject({
      status: 'succeeded',
      groups: 8, // the six buyers of the first test and these two
      moves: { up: 8, down: 0 },
    });
    expect((await adminRequest(testStack(), 'GET', `/admin/reports/${report.body.reportId}`)).body.status).toBe('succeeded');
  });

  it('the recalc CLI stops following a run that makes no progress, naming the command that resumes it; --resume re-queues it', async () => {
    await buyers(1);
    const started = await adminRequest(testStack(), 'POST', '/admin/recalculate', { asOf: addDays(today, -3) });
    const runId = started.body.runId as string;
    await lose('recalcTasks');

    const followed = await runCli(testStack(), 'recalc-cli.ts', ['--run', runId, '--stall-seconds', '1']);
    expect(followed.code).toBe(3);
    expect(followed.stderr).toContain(`run ${runId} made no progress for 1 s: its tasks may be lost. Resume it now: npm run recalc -- --resume ${runId}`);

    const resumed = await runCli(testStack(), 'recalc-cli.ts', ['--resume', runId, '--stall-seconds', '1']);
    expect(resumed.stdout).toContain(`resumed run ${runId} (map phase): 32 shard tasks queued again`);
    expect(resumed.code).toBe(3); // this test runs no consumers: the re-queued tasks wait
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
    expect((await adminRequest(testStack(), 'GET', `/admin/runs/${runId}`)).body.status).toBe('succeeded');

    const future = await runCli(testStack(), 'recalc-cli.ts', ['--as-of', addDays(today, 2)]);
    expect(future.code).toBe(1);
    expect(future.stderr).toContain('422 validation_failed');
    const usage = await runCli(testStack(), 'recalc-cli.ts', ['--run', runId, '--resume', runId]);
    expect(usage.code).toBe(2);
  });
});
