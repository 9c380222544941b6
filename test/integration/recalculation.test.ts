import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { queues } from '../../lib/infra/resources.js';
import { markShardDone } from '../../lib/adapters/dynamodb/jobs.js';
import { resumeJob } from '../../lib/jobs/engine/lifecycle.js';
import { order, uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue, receive, removeQueue } from '../support/queues.js';
import { readRun as readRunOf, recalculate as recalculateFor, startRecalculation as startRunFor } from '../support/runs.js';

const startRecalculation = (asOf: string) => startRunFor(testStack(), asOf);
const readRun = (runId: string) => readRunOf(testStack(), runId);
const recalculate = (asOf: string) => recalculateFor(testStack(), asOf);

/** Every tier change published to the email queue so far (received and left in flight). */
async function takePublished(): Promise<any[]> {
  const bodies: any[] = [];
  for (let batch = await receive(testStack(), 'tierEmails'); batch.length > 0; batch = await receive(testStack(), 'tierEmails')) {
    bodies.push(...batch.map((message) => JSON.parse(message.Body!)));
  }
  return bodies;
}

const status = async (groupId: string) => (await getJson(testStack(), `/groups/${groupId}`)).body;

// The tests share one set of tables and run in order: each uses as-of dates after the previous test's,
// since a run for an earlier date than a group's last evaluation changes nothing (§2.4).
describe('nightly recalculation', () => {
  it('counts an order on D−89 and not on D−90, and moves the group up with one published change', async () => {
    const client = uniqueId('C');
    await postWebhook(testStack(), 'orders', {
      orders: [
        order({ orderId: uniqueId('O'), clientId: client, date: '2026-08-24', amount: '30000.00' }), // D−89
        order({ orderId: uniqueId('O'), clientId: client, date: '2026-08-23', amount: '90000.00' }), // D−90
        order({ orderId: uniqueId('O'), clientId: client, date: '2026-11-21', amount: '20000.00' }), // D
      ],
    });
    await takePublished();
    const run = await recalculate('2026-11-21');
    expect(run.changed).toBeGreaterThanOrEqual(1);
    expect(await status(client)).toMatchObject({ asOf: '2026-11-21', sum90d: '50000.00', tier: { id: 'bronze' }, tierSince: '2026-11-21' });
    const published = (await takePublished()).filter((change) => change.groupId === client);
    expect(published).toEqual([expect.objectContaining({ eventId: `${client}/2026-11-21/1`, from: 'base', to: 'bronze', direction: 'up', sum: '5000000' })]);
    const history = await getJson(testStack(), `/groups/${client}/history`);
    expect(history.body.changes).toEqual([expect.objectContaining({ eventId: `${client}/2026-11-21/1`, to: 'bronze', sum90d: '50000.00' })]);
  });

  it('converts a date-time to the business date in Moscow across midnight before choosing the window', async () => {
    const inside = uniqueId('C');
    const outside = uniqueId('C');
    await postWebhook(testStack(), 'clients', { clients: [{ clientId: outside, name: 'Late buyer', version: 1 }] });
    await postWebhook(testStack(), 'orders', {
      orders: [
        // 21:30Z on Nov 21 is 00:30 on Nov 22 in Moscow: after D = 2026-11-21, so not counted.
        order({ orderId: uniqueId('O'), clientId: outside, date: '2026-11-21T21:30:00Z', amount: '60000' }),
        // 20:30Z on Aug 23 is 23:30 on Aug 23 in Moscow = D−90: not counted; 21:30Z is Aug 24 = D−89: counted.
        order({ orderId: uniqueId('O'), clientId: outside, date: '2026-08-23T20:30:00Z', amount: '60000' }),
        order({ orderId: uniqueId('O'), clientId: inside, date: '2026-08-23T21:30:00Z', amount: '60000' }),
      ],
    });
    await recalculate('2026-11-21');
    expect(await status(inside)).toMatchObject({ sum90d: '60000.00', tier: { id: 'bronze' } });
    expect(await status(outside)).toMatchObject({ sum90d: '0.00', tier: { id: 'base' } });
  });

  it('counts only paid, shipped and completed orders', async () => {
    const client = uniqueId('C');
    const statuses = ['placed', 'paid', 'shipped', 'completed', 'cancelled', 'returned'];
    await postWebhook(testStack(), 'orders', {
      orders: statuses.map((orderStatus) => order({ orderId: uniqueId('O'), clientId: client, date: '2026-11-01', amount: '1000.00', status: orderStatus })),
    });
    await recalculate('2026-11-21');
    expect((await status(client)).sum90d).toBe('3000.00');
  });

  it('lowers the tier at the next run after a partial return (lower amount, higher version)', async () => {
    const client = uniqueId('C');
    const orderId = uniqueId('O');
    await postWebhook(testStack(), 'orders', { orders: [order({ orderId, clientId: client, date: '2026-11-01', amount: '160000', version: 1 })] });
    await recalculate('2026-11-22');
    expect((await status(client)).tier.id).toBe('silver');
    await postWebhook(testStack(), 'orders', { orders: [order({ orderId, clientId: client, date: '2026-11-01', amount: '60000', version: 2 })] });
    await takePublished();
    const run = await recalculate('2026-11-23');
    expect(run.down).toBeGreaterThanOrEqual(1);
    expect(await status(client)).toMatchObject({ sum90d: '60000.00', tier: { id: 'bronze' }, tierSince: '2026-11-23' });
    const published = (await takePublished()).filter((change) => change.groupId === client);
    expect(published).toEqual([expect.objectContaining({ from: 'silver', to: 'bronze', direction: 'down', seq: 2 })]);
  });

  it('moves a client with its whole history when the ERP regroups it', async () => {
    const [client, staying, groupA, groupB] = [uniqueId('C'), uniqueId('C'), uniqueId('G'), uniqueId('G')];
    await postWebhook(testStack(), 'clients', {
      clients: [
        { clientId: client, name: 'Mover', groupId: groupA, version: 1 },
        { clientId: staying, name: 'Stayer', groupId: groupA, version: 1 },
      ],
    });
    await postWebhook(testStack(), 'orders', {
      orders: [
        order({ orderId: uniqueId('O'), clientId: client, date: '2026-10-01', amount: '40000' }),
        order({ orderId: uniqueId('O'), clientId: staying, date: '2026-10-02', amount: '20000' }),
      ],
    });
    await recalculate('2026-11-24');
    expect(await status(groupA)).toMatchObject({ members: [client, staying].sort(), sum90d: '60000.00', tier: { id: 'bronze' } });
    await postWebhook(testStack(), 'clients', { clients: [{ clientId: client, name: 'Mover', groupId: groupB, version: 2 }] });
    await recalculate('2026-11-25');
    expect(await status(groupA)).toMatchObject({ members: [staying], sum90d: '20000.00', tier: { id: 'base' } });
    expect(await status(groupB)).toMatchObject({ members: [client], sum90d: '40000.00', tier: { id: 'base' } });
  });

  it('changes and sends nothing when the same as-of date runs again on unchanged data', async () => {
    const client = uniqueId('C');
    await postWebhook(testStack(), 'orders', { orders: [order({ orderId: uniqueId('O'), clientId: client, date: '2026-11-10', amount: '600000' })] });
    await recalculate('2026-11-26');
    await takePublished();
    const rerun = await recalculate('2026-11-26');
    expect(rerun).toMatchObject({ changed: 0, up: 0, down: 0 });
    expect(await takePublished()).toEqual([]);
    expect((await getJson(testStack(), `/groups/${client}/history`)).body.changes).toHaveLength(1);
  });

  it('does not let an older as-of date overwrite a group evaluated at a later one', async () => {
    const client = uniqueId('C');
    await postWebhook(testStack(), 'orders', { orders: [order({ orderId: uniqueId('O'), clientId: client, date: '2026-11-25', amount: '60000' })] });
    await recalculate('2026-11-28');
    const backfill = await recalculate('2026-11-27');
    expect(backfill.skipped).toBeGreaterThanOrEqual(1);
    expect(await status(client)).toMatchObject({ asOf: '2026-11-28', sum90d: '60000.00', tier: { id: 'bronze' } });
  });

  it('answers a second start for the running date with the same run, and 409 for another date', async () => {
    const first = await startRecalculation('2026-11-29');
    const again = await startRecalculation('2026-11-29');
    const other = await startRecalculation('2026-11-30');
    expect(again.body).toEqual({ runId: first.body.runId, alreadyRunning: true });
    expect(other.status).toBe(409);
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
    expect((await readRun(first.body.runId)).status).toBe('succeeded');
  });

  it('applies every group exactly once and loses no tier change when a run is killed after some shards and a publish fails, then resumed', async () => {
    const stack = testStack();
    const clients = Array.from({ length: 40 }, () => uniqueId('C'));
    await postWebhook(stack, 'orders', {
      orders: clients.map((clientId, i) => order({ orderId: uniqueId('O'), clientId, date: '2026-11-15', amount: String(50000 + i * 20000) })),
    });
    await takePublished();
    const { body } = await startRecalculation('2026-11-30');
    // The run is "killed" after ten map shards: the rest of its tasks are never delivered.
    await drainQueue(stack, 'recalcTasks', recalcWorker, { maxBatches: 10 });
    expect((await readRun(body.runId)).progress.mapShardsDone).toBe(10);

    // A real fault between recording a change and publishing it: the email queue is gone for a while.
    const emailQueue = await removeQueue(stack, 'tierEmails');
    await resumeJob(body.runId);
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    const interrupted = await readRun(body.runId);
    expect(interrupted.status).toBe('running');
    expect(interrupted.progress.reduceShardsDone).toBeLessThan(interrupted.progress.reduceShards);

    await emailQueue.restore();
    await resumeJob(body.runId);
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    expect(await readRun(body.runId)).toMatchObject({ status: 'succeeded', changed: 40, up: 40 });

    const published = (await takePublished()).filter((change) => clients.includes(change.groupId));
    expect(new Set(published.map((change) => change.eventId)).size).toBe(40);
    for (const clientId of clients) {
      const history = (await getJson(stack, `/groups/${clientId}/history`)).body.changes;
      expect(history).toHaveLength(1);
      expect(history[0].eventId).toBe(`${clientId}/2026-11-30/1`);
    }
    expect(queues.recalcTasks.maxReceiveCount).toBe(5);
  });

  it('finishes a run whose last map shard was marked done by an attempt that died before moving the run on', async () => {
    const stack = testStack();
    const client = uniqueId('C');
    await postWebhook(stack, 'orders', { orders: [order({ orderId: uniqueId('O'), clientId: client, date: '2026-12-01', amount: '200000' })] });
    const { body } = await startRecalculation('2026-12-01');
    await drainQueue(stack, 'recalcTasks', recalcWorker, { maxBatches: 31 });
    const [last] = await receive(stack, 'recalcTasks', 1);
    const task = JSON.parse(last!.Body!);
    // The dying attempt got as far as marking its shard done; SQS then delivers the task again.
    await markShardDone(task.jobId, 'map', task.shard);
    const sqs = new SQSClient({ endpoint: stack.endpoints.sqsEndpoint });
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: stack.queues.recalcTasks.url, ReceiptHandle: last!.ReceiptHandle!, VisibilityTimeout: 0 }));
    sqs.destroy();
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    expect(await readRun(body.runId)).toMatchObject({ status: 'succeeded', progress: { phase: 'done' } });
    expect(await status(client)).toMatchObject({ asOf: '2026-12-01', tier: { id: 'silver' } });
  });
});
