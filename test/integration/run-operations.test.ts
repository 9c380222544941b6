import { DeleteMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { getJob, markShardDone } from '../../lib/adapters/dynamodb/jobs.js';
import { jobPartition } from '../../lib/adapters/dynamodb/job-keys.js';
import { queryAll } from '../../lib/adapters/dynamodb/query.js';
import { tableName } from '../../lib/config.js';
import { failJobWithReason } from '../../lib/jobs/engine/lifecycle.js';
import { reduceShard } from '../../lib/jobs/engine/map-reduce.js';
import { recalculation } from '../../lib/jobs/recalculation/kind.js';
import { addDays } from '../../lib/domain/business-date.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { order, uniqueId } from '../support/fixtures.js';
import { adminRequest } from '../support/admin.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue, receive } from '../support/queues.js';

/** Operating runs: as-of dates an operator may give, resume now, the run list and report, the repair of applied dates. */

const sqs = new SQSClient({ endpoint: testStack().endpoints.sqsEndpoint });
afterAll(() => sqs.destroy());

const today = businessToday();
const day = (offset: number) => addDays(today, offset);
const start = (asOf: string) => adminRequest(testStack(), 'POST', '/admin/recalculate', { asOf });
const readRun = async (runId: string) => (await adminRequest(testStack(), 'GET', `/admin/runs/${runId}`)).body;
const status = async (groupId: string) => (await getJson(testStack(), `/groups/${groupId}`)).body;

/** Runs one as-of date to the end; returns the run report. */
async function recalculate(asOf: string): Promise<any> {
  const started = await start(asOf);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await drainQueue(testStack(), 'recalcTasks', recalcWorker);
  const run = await readRun(started.body.runId);
  expect(run.status).toBe('succeeded');
  return run;
}

/** Clients of their own (each its own group) with one counted order of the given amount, dated 20 days ago. */
async function buyers(...amounts: string[]): Promise<string[]> {
  const clients = amounts.map(() => uniqueId('C'));
  await postWebhook(testStack(), 'orders', { orders: clients.map((clientId, i) => order({ orderId: uniqueId('O'), clientId, date: day(-20), amount: amounts[i]! })) });
  return clients;
}

/** Loses every queued recalc task, as a crash of the local stack does. */
async function loseRecalcTasks(): Promise<number> {
  let lost = 0;
  for (let batch = await receive(testStack(), 'recalcTasks'); batch.length > 0; batch = await receive(testStack(), 'recalcTasks')) {
    for (const message of batch) await sqs.send(new DeleteMessageCommand({ QueueUrl: testStack().queues.recalcTasks.url, ReceiptHandle: message.ReceiptHandle! }));
    lost += batch.length;
  }
  return lost;
}

// The tests share one set of tables and run in order, each at a later as-of date than the one before.
describe('run operations', () => {
  it('refuses an as-of date after today in the program time zone with 422 naming asOf, and stores no run', async () => {
    // Two days ahead: still after today if the clock passes midnight in Moscow during the test.
    for (const asOf of [day(2), '2099-01-01']) {
      const refused = await start(asOf);
      expect(refused.status).toBe(422);
      expect(refused.body.issues).toEqual([{ path: 'asOf', message: expect.stringMatching(/^must not be after today \(\d{4}-\d{2}-\d{2} in Europe\/Moscow\)$/) }]);
    }
    const malformed = await start('2026-02-30');
    expect(malformed.body.issues).toEqual([{ path: 'asOf', message: 'must be a business date YYYY-MM-DD' }]);
    expect((await adminRequest(testStack(), 'GET', '/admin/runs')).body.runs).toEqual([]);
  });

  it('accepts a date long before any stored order (a backfill)', async () => {
    const run = await recalculate('2020-01-01');
    expect(run).toMatchObject({ asOf: '2020-01-01', changed: 0 });
  });

  it('reports phase durations, the tiers after the run, and lists its changes as JSON and CSV with the reason', async () => {
    const [bronze, silver, base] = await buyers('60000.00', '200000.00', '1000.00');
    const run = await recalculate(day(-10));
    expect(run).toMatchObject({ changed: 2, up: 2, progress: { phase: 'done' } });
    expect(run.phases.map).toEqual({ startedAt: run.startedAt, finishedAt: expect.any(String), seconds: expect.any(Number) });
    expect(run.phases.reduce).toEqual({ startedAt: run.phases.map.finishedAt, finishedAt: expect.any(String), seconds: expect.any(Number) });
    expect(run.phases.finish).toEqual({ startedAt: run.phases.reduce.finishedAt, finishedAt: run.finishedAt, seconds: expect.any(Number) });
    expect(run.durationSeconds).toBeCloseTo(run.phases.map.seconds + run.phases.reduce.seconds + run.phases.finish.seconds, 0);
    expect(run.tiers).toEqual([
      { id: 'base', groups: 1, sum90d: '1000.00', discountCost: '0.00' },
      { id: 'bronze', groups: 1, sum90d: '60000.00', discountCost: '1200.00' },
      { id: 'silver', groups: 1, sum90d: '200000.00', discountCost: '8000.00' },
      { id: 'gold', groups: 0, sum90d: '0.00', discountCost: '0.00' },
      { id: 'platinum', groups: 0, sum90d: '0.00', discountCost: '0.00' },
    ]);

    const changes = await adminRequest(testStack(), 'GET', `/admin/runs/${run.runId}/changes`);
    expect(changes.body).toEqual({
      runId: run.runId,
      asOf: day(-10),
      status: 'succeeded',
      changes: [
        { groupId: bronze, from: 'base', to: 'bronze', direction: 'up', sum90d: '60000.00', qualifyingSum90d: '60000.00', reason: 'sum', asOf: day(-10), eventId: `${bronze}/${day(-10)}/1` },
        { groupId: silver, from: 'base', to: 'silver', direction: 'up', sum90d: '200000.00', qualifyingSum90d: '200000.00', reason: 'sum', asOf: day(-10), eventId: `${silver}/${day(-10)}/1` },
      ].sort((a, b) => a.eventId.localeCompare(b.eventId)),
    });
    expect(changes.body.changes.map((change: any) => change.groupId)).not.toContain(base);

    const csv = await fetch(`${testStack().url}/admin/runs/${run.runId}/changes?format=csv`, { headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')).toEqual([
      'groupId,from,to,direction,sum90d,qualifyingSum90d,reason,asOf,eventId',
      ...changes.body.changes.map((change: any) => `${change.groupId},base,${change.to},up,${change.sum90d},${change.sum90d},sum,${day(-10)},${change.eventId}`),
      '',
    ]);
    const badFormat = await adminRequest(testStack(), 'GET', `/admin/runs/${run.runId}/changes?format=xml`);
    expect(badFormat.body.issues).toEqual([expect.objectContaining({ path: 'format' })]);
    expect((await adminRequest(testStack(), 'GET', '/admin/runs/nope/changes')).status).toBe(404);
  });

  it('lists runs newest first, a page at a time', async () => {
    await recalculate(day(-9));
    const firstPage = await adminRequest(testStack(), 'GET', '/admin/runs?limit=2');
    expect(firstPage.body.runs.map((run: any) => run.asOf)).toEqual([day(-9), day(-10)]);
    expect(firstPage.body.next).toEqual(expect.any(String));
    const secondPage = await adminRequest(testStack(), 'GET', `/admin/runs?limit=2&cursor=${firstPage.body.next}`);
    expect(secondPage.body.runs.map((run: any) => run.asOf)).toEqual(['2020-01-01']);
    expect(secondPage.body.next).toBeNull();
    const badCursor = await adminRequest(testStack(), 'GET', '/admin/runs?cursor=bm9wZQ');
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.issues).toEqual([expect.objectContaining({ path: 'cursor' })]);
    expect((await adminRequest(testStack(), 'GET', '/admin/runs?limit=0')).body.issues).toEqual([expect.objectContaining({ path: 'limit' })]);
  });

  it('resumes a run whose tasks were lost at once, twice while tasks are in flight, and still applies each change once', async () => {
    const clients = await buyers('55000.00', '65000.00', '75000.00');
    const started = await start(day(-8));
    await drainQueue(testStack(), 'recalcTasks', recalcWorker, { maxBatches: 5 });
    expect(await loseRecalcTasks()).toBe(27);

    const resumed = await adminRequest(testStack(), 'POST', `/admin/runs/${started.body.runId}/resume`);
    expect(resumed).toMatchObject({ status: 202, body: { runId: started.body.runId, status: 'running', phase: 'map', requeued: 27 } });
    await drainQueue(testStack(), 'recalcTasks', recalcWorker, { maxBatches: 40 }); // map done, reduce under way
    const again = await adminRequest(testStack(), 'POST', `/admin/runs/${started.body.runId}/resume`);
    expect(again.body).toMatchObject({ phase: 'reduce', requeued: 32 - (await readRun(started.body.runId)).progress.reduceShardsDone });
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);

    const run = await readRun(started.body.runId);
    expect(run).toMatchObject({ status: 'succeeded', changed: 3, up: 3 });
    for (const clientId of clients) {
      const history = (await getJson(testStack(), `/groups/${clientId}/history`)).body.changes;
      expect(history.map((change: any) => change.eventId)).toEqual([`${clientId}/${day(-8)}/1`]);
    }
    expect((await adminRequest(testStack(), 'GET', `/admin/runs/${run.runId}/changes`)).body.changes).toHaveLength(3);
    const finished = await adminRequest(testStack(), 'POST', `/admin/runs/${run.runId}/resume`);
    expect(finished.status).toBe(409);
    expect(finished.body.message).toContain('has succeeded');
    expect((await adminRequest(testStack(), 'POST', '/admin/runs/nope/resume')).status).toBe(404);
  });

  it('moves a run on when resumed whose every shard is done (its last worker died right after marking its shard)', async () => {
    const started = await start(day(-7));
    await drainQueue(testStack(), 'recalcTasks', recalcWorker, { maxBatches: 32 + 31 });
    const [last] = await receive(testStack(), 'recalcTasks', 1);
    const task = JSON.parse(last!.Body!);
    // The dying attempt reduced its shard and marked it done, then died before moving the run on; its message is lost.
    const job = (await getJob(task.jobId))!;
    await reduceShard(recalculation, job, await recalculation.prepare(job), task.shard, Promise.resolve());
    await markShardDone(task.jobId, 'reduce', task.shard);
    await loseRecalcTasks();
    await sqs.send(new DeleteMessageCommand({ QueueUrl: testStack().queues.recalcTasks.url, ReceiptHandle: last!.ReceiptHandle! }));
    expect(await readRun(started.body.runId)).toMatchObject({ status: 'running', progress: { phase: 'reduce', reduceShardsDone: 32 } });

    const resumed = await adminRequest(testStack(), 'POST', `/admin/runs/${started.body.runId}/resume`);
    expect(resumed.body).toMatchObject({ phase: 'reduce', requeued: 1 });
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
    expect((await readRun(started.body.runId)).status).toBe('succeeded');
  });

  it('answers 409 for another date while a run is in progress, pointing at its resume', async () => {
    const started = await start(day(-6));
    const other = await start(day(-5));
    expect(other.status).toBe(409);
    expect(other.body.message).toContain(`POST /admin/runs/${started.body.runId}/resume`);
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
  });

  it('writes nothing for the tasks of a run that failed meanwhile, on a worker that has already run some of them', async () => {
    const started = await start(day(-5));
    // This worker process has prepared the run: its next tasks read their shards while they read the run.
    await drainQueue(testStack(), 'recalcTasks', recalcWorker, { maxBatches: 3 });
    await failJobWithReason(recalculation, started.body.runId, 'failed by the test');
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);

    const job = (await getJob(started.body.runId))!;
    expect(job).toMatchObject({ status: 'failed', phase: 'map' });
    expect(job.mapDone).toHaveLength(3);
    const partials = await queryAll({
      TableName: tableName('runs'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :partials)',
      ExpressionAttributeValues: { ':pk': jobPartition(job.jobId), ':partials': 'part#' },
    });
    // part#<reduce shard>#<map shard>#<chunk>: only the three map shards done before the run failed wrote any.
    expect(new Set(partials.map((item) => (item.sk as string).split('#')[2]))).toEqual(new Set(job.mapDone));
  });

  it('repairs groups a run at a later date moved: after the reset, running the right date again undoes the move, with its change', async () => {
    // In the window of a run for day −4, out of the window of one for today.
    const client = uniqueId('C');
    await postWebhook(testStack(), 'orders', { orders: [order({ orderId: uniqueId('O'), clientId: client, date: day(-91), amount: '60000.00' })] });
    await recalculate(day(-4));
    const wrong = await recalculate(day(0)); // meant to be day −3
    expect((await adminRequest(testStack(), 'GET', `/admin/runs/${wrong.runId}/changes`)).body.changes).toEqual([
      expect.objectContaining({ groupId: client, from: 'bronze', to: 'base', direction: 'down' }),
    ]);
    expect(await recalculate(day(-3))).toMatchObject({ groups: 0, changed: 0, skipped: expect.any(Number) });

    const refused = await adminRequest(testStack(), 'POST', '/admin/repair/applied-date', { asOf: day(2) });
    expect(refused.body.issues).toEqual([expect.objectContaining({ path: 'asOf' })]);
    const reset = await adminRequest(testStack(), 'POST', '/admin/repair/applied-date', { asOf: day(-4) });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ asOf: day(-4), shardsReset: 32 });
    expect(reset.body.groupsReset).toBeGreaterThanOrEqual(1);

    const repaired = await recalculate(day(-4));
    expect(repaired.skipped).toBe(0);
    expect((await adminRequest(testStack(), 'GET', `/admin/runs/${repaired.runId}/changes`)).body.changes).toEqual([
      expect.objectContaining({ groupId: client, from: 'base', to: 'bronze', direction: 'up', reason: 'sum', eventId: `${client}/${day(-4)}/3` }),
    ]);
    expect(await recalculate(day(-3))).toMatchObject({ changed: 0, skipped: 0 });
    expect(await status(client)).toMatchObject({ asOf: day(-3), tier: { id: 'bronze' } });
    const history = (await getJson(testStack(), `/groups/${client}/history`)).body.changes.map((change: any) => `${change.asOf} ${change.from}>${change.to}`);
    expect(history).toEqual([`${day(-4)} base>bronze`, `${day(0)} bronze>base`, `${day(-4)} base>bronze`]);
  });

  it('resets only the named groups (and their shards), and refuses while a run is in progress', async () => {
    const [client] = await buyers('60000.00');
    await recalculate(day(0));
    const reset = await adminRequest(testStack(), 'POST', '/admin/repair/applied-date', { asOf: day(-2), groupIds: [client] });
    expect(reset.body).toEqual({ asOf: day(-2), groupsReset: 1, shardsReset: 1 });
    expect(await status(client!)).toMatchObject({ asOf: day(-2) });

    const started = await start(day(-1));
    const busy = await adminRequest(testStack(), 'POST', '/admin/repair/applied-date', { asOf: day(-2) });
    expect(busy.status).toBe(409);
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
    expect((await readRun(started.body.runId)).status).toBe('succeeded');
  });
});
