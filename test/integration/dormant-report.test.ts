import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { jobKeys } from '../../lib/adapters/dynamodb/job-keys.js';
import { getJob } from '../../lib/adapters/dynamodb/jobs.js';
import { tableName } from '../../lib/config.js';
import { addDays } from '../../lib/domain/business-date.js';
import { watchJob } from '../../lib/jobs/engine/lifecycle.js';
import { dormantReport } from '../../lib/jobs/dormant-report/kind.js';
import { invokeLocally, lambdaContext } from '../../lib/local/lambda-context.js';
import { sqsRecord } from '../../lib/local/queue-poller.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { adminRequest } from '../support/admin.js';
import { order } from '../support/fixtures.js';
import { postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue, receive } from '../support/queues.js';

const D = addDays(businessToday(), -1);
const ago = (days: number) => addDays(D, -days);
const ELEVEN_MINUTES = 11 * 60 * 1000;

async function startReport(): Promise<string> {
  const started = await adminRequest(testStack(), 'POST', '/admin/reports', { kind: 'dormant', asOf: D });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return started.body.reportId;
}
const readReport = async (reportId: string) => (await adminRequest(testStack(), 'GET', `/admin/reports/${reportId}`)).body;

/** Takes every queued task off the queue unworked: as if a restart of the local stack had lost them. */
const loseQueuedTasks = () => drainQueue(testStack(), 'recalcTasks', async () => {});

const row = (groupId: string, name: string, fields: Record<string, unknown>) => ({ groupId, name, contacts: [], ...fields });
const never = { lastOrderDate: null, daysSinceLastOrder: null, orders365: 0, sum365: '0.00', sum90d: '0.00', toLowestPaidTier: '50000.00', r: 1, f: 1, m: 1, segment: 'lost' };

describe('the win-back list of dormant counterparties (§4.6)', () => {
  let reportId: string;
  let summary: any;

  it('lists every known group in the base tier at D with its 365 days of orders, RFM scores and segment, and the win-back rate', async () => {
    const stack = testStack();
    await postWebhook(stack, 'groups', {
      groups: [
        { groupId: 'G-B1', name: 'Roga & Kopyta, OOO', contacts: ['buy@roga.example'], version: 1 },
        ...['B2', 'B3', 'B4', 'B5', 'P1', 'F1'].map((g) => ({ groupId: `G-${g}`, name: `Group ${g}`, version: 1 })),
        { groupId: 'G-N1', name: 'Nord', contacts: ['nord@example.com', 'buyer@nord.example'], version: 1 }, // master data only
      ],
    });
    await postWebhook(stack, 'clients', {
      clients: [
        ...['B1', 'B2', 'B3', 'B4', 'B5', 'P1'].map((g) => ({ clientId: `C-${g}`, name: `Client ${g}`, groupId: `G-${g}`, version: 1 })),
        { clientId: 'C-N2', name: 'Member of a group without a record', groupId: 'G-N2', version: 1 },
        { clientId: 'S-1', name: 'Solo "Trade"', email: 'solo@example.com', version: 1 }, // its own group
      ],
    });
    const orders: [clientId: string, daysAgo: number, amount: string][] = [
      ['C-B1', 1, '1000.00'],
      ...[5, 10, 15, 20, 25].map((days): [string, number, string] => ['C-B2', days, '8000.00']),
      ['C-B3', 60, '10000.00'],
      ['C-B3', 200, '290000.00'],
      ...[150, 160, 170, 180].map((days): [string, number, string] => ['C-B4', days, '5000.00']),
      ['C-B5', 300, '5000.00'],
      ['C-B5', 310, '2500.00'],
      ['C-B5', 364, '2500.00'], // the first day of the 365
      ['C-B5', 365, '99000.00'], // the day before: not counted
      ['C-P1', 3, '60000.00'], // bronze at D: not dormant, but in the base tier at D−30 and back since
      ['S-1', 400, '70000.00'],
    ];
    await postWebhook(stack, 'orders', {
      orders: [
        ...orders.map(([clientId, days, amount], i) => order({ orderId: `O-${i}`, clientId, date: ago(days), amount })),
        order({ orderId: 'O-X', clientId: 'CX1', date: ago(10), amount: '90000.00', status: 'cancelled' }), // known by orders, none counted
      ],
    });
    expect((await adminRequest(stack, 'PUT', '/admin/groups/G-F1/floor', { tierId: 'silver', until: addDays(D, 10) })).status).toBe(200);

    reportId = await startReport();
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    summary = await readReport(reportId);
    expect(summary).toMatchObject({
      reportId,
      kind: 'dormant',
      asOf: D,
      status: 'succeeded',
      rows: 9,
      // Of the 10 groups in the base tier at D−30 (all but the floored one), B1, B2 and P1 ordered since.
      winBack: { dormant30DaysAgo: 10, returned: 3, rate: 0.3 },
    });
    expect(summary.segments).toEqual({
      champions: 0,
      loyal: 1,
      'potential-loyalists': 0,
      new: 1,
      promising: 0,
      'need-attention': 0,
      'about-to-sleep': 1,
      'at-risk': 2,
      'cannot-lose': 0,
      hibernating: 0,
      lost: 4,
    });

    // Five buyers, one per quintile of each measure: recency B1 > B2 > B3 > B4 > B5; frequency B2 > B4 > B5 > B3 > B1;
    // sum B3 > B2 > B4 > B5 > B1. Ranked by the 365-day sum, then the groups without a counted order by id.
    const rows = await adminRequest(stack, 'GET', `/admin/reports/${reportId}/rows`);
    expect(rows.body).toEqual([
      row('G-B3', 'Group B3', { lastOrderDate: ago(60), daysSinceLastOrder: 60, orders365: 2, sum365: '300000.00', sum90d: '10000.00', toLowestPaidTier: '40000.00', r: 3, f: 2, m: 5, segment: 'about-to-sleep' }),
      row('G-B2', 'Group B2', { lastOrderDate: ago(5), daysSinceLastOrder: 5, orders365: 5, sum365: '40000.00', sum90d: '40000.00', toLowestPaidTier: '10000.00', r: 4, f: 5, m: 4, segment: 'loyal' }),
      row('G-B4', 'Group B4', { lastOrderDate: ago(150), daysSinceLastOrder: 150, orders365: 4, sum365: '20000.00', sum90d: '0.00', toLowestPaidTier: '50000.00', r: 2, f: 4, m: 3, segment: 'at-risk' }),
      row('G-B5', 'Group B5', { lastOrderDate: ago(300), daysSinceLastOrder: 300, orders365: 3, sum365: '10000.00', sum90d: '0.00', toLowestPaidTier: '50000.00', r: 1, f: 3, m: 2, segment: 'at-risk' }),
      { ...row('G-B1', 'Roga & Kopyta, OOO', { lastOrderDate: ago(1), daysSinceLastOrder: 1, orders365: 1, sum365: '1000.00', sum90d: '1000.00', toLowestPaidTier: '49000.00', r: 5, f: 1, m: 1, segment: 'new' }), contacts: ['buy@roga.example'] },
      row('CX1', 'CX1', never),
      { ...row('G-N1', 'Nord', never), contacts: ['nord@example.com', 'buyer@nord.example'] },
      row('G-N2', 'G-N2', never),
      { ...row('S-1', 'Solo "Trade"', never), contacts: ['solo@example.com'] },
    ]);
  });

  it('gives the rows as CSV: a header row, contacts joined, names with commas and quotes quoted (RFC 4180)', async () => {
    const response = await fetch(`${testStack().url}/admin/reports/${reportId}/rows?format=csv`, { headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}` } });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe('groupId,name,contacts,lastOrderDate,daysSinceLastOrder,orders365,sum365,sum90d,toLowestPaidTier,r,f,m,segment');
    expect(lines[5]).toBe(`G-B1,"Roga & Kopyta, OOO",buy@roga.example,${ago(1)},1,1,1000.00,1000.00,49000.00,5,1,1,new`);
    expect(lines[7]).toBe('G-N1,Nord,nord@example.com; buyer@nord.example,,,0,0.00,0.00,50000.00,1,1,1,lost');
    expect(lines[9]).toBe('S-1,"Solo ""Trade""",solo@example.com,,,0,0.00,0.00,50000.00,1,1,1,lost');
    expect(lines).toHaveLength(11); // header, 9 rows, and the empty string after the last CRLF
  });

  it('resumes a report killed mid-way (its tasks lost) when it is read after stalling, and then gives the same numbers', async () => {
    const stack = testStack();
    const killed = await startReport();
    await drainQueue(stack, 'recalcTasks', recalcWorker, { maxBatches: 10 });
    expect(await loseQueuedTasks()).toBe(22);
    expect(await readReport(killed)).toMatchObject({ status: 'running', rows: null, segments: null, winBack: null, progress: { phase: 'map', mapShardsDone: 10 } });
    expect((await adminRequest(stack, 'GET', `/admin/reports/${killed}/rows`)).status).toBe(409);

    const stalled = (await getJob(killed))!;
    expect(await watchJob(dormantReport, stalled, Date.now() + ELEVEN_MINUTES)).toMatchObject({ status: 'running', resumes: 1 });
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    const resumed = await readReport(killed);
    expect(resumed).toMatchObject({ status: 'succeeded', rows: summary.rows, segments: summary.segments, winBack: summary.winBack });
    expect((await adminRequest(stack, 'GET', `/admin/reports/${killed}/rows`)).body).toEqual((await adminRequest(stack, 'GET', `/admin/reports/${reportId}/rows`)).body);
  });

  it('fails a report visibly when it stalls again after three resumes: status failed with the reason, no numbers', async () => {
    const stuck = await startReport();
    for (let resumes = 0; resumes < 3; resumes++) {
      await loseQueuedTasks();
      await watchJob(dormantReport, (await getJob(stuck))!, Date.now() + ELEVEN_MINUTES);
    }
    await loseQueuedTasks();
    const failed = await watchJob(dormantReport, (await getJob(stuck))!, Date.now() + ELEVEN_MINUTES);
    expect(failed).toMatchObject({ status: 'failed', error: 'stalled: no progress for 10 minutes after 3 resumes' });
    expect(await readReport(stuck)).toMatchObject({ status: 'failed', rows: null, segments: null, winBack: null, error: expect.stringContaining('stalled') });
  });

  it('fails a report whose reduce task fails on its last delivery, with the reason, and lists no rows', async () => {
    const stack = testStack();
    const broken = await startReport();
    await drainQueue(stack, 'recalcTasks', recalcWorker, { maxBatches: 32 });
    expect((await readReport(broken)).progress).toMatchObject({ phase: 'reduce', reduceShardsDone: 0 });
    // A real fault in stored data: a partial of reduce shard s007 that is not JSON. Its task fails on every delivery.
    await dynamo.send(new PutCommand({ TableName: tableName('runs'), Item: { ...jobKeys.partial(broken, 's007', 's999', 0), groups: '{not json', chunks: 1 } }));
    const tasks = [];
    for (let batch = await receive(stack, 'recalcTasks'); batch.length > 0; batch = await receive(stack, 'recalcTasks')) tasks.push(...batch);
    const task = tasks.find((message) => JSON.parse(message.Body!).shard === 's007')!;
    const lastDelivery = sqsRecord(task, stack.queues.recalcTasks.arn);
    lastDelivery.attributes.ApproximateReceiveCount = '5';
    const result = await invokeLocally(recalcWorker, { Records: [lastDelivery] }, lambdaContext('recalc-worker'));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: task.MessageId }] });

    const report = await readReport(broken);
    expect(report).toMatchObject({ status: 'failed', rows: null, segments: null, winBack: null });
    expect(report.error).toMatch(/^reduce shard s007 failed 5 times: .*JSON/);
    const rows = await adminRequest(stack, 'GET', `/admin/reports/${broken}/rows`);
    expect(rows).toMatchObject({ status: 409, body: { error: 'conflict', message: expect.stringContaining('is failed') } });
  });

  it('lists reports newest first; 422 for another kind or a date after today; 404 for an unknown id', async () => {
    const listed = (await adminRequest(testStack(), 'GET', '/admin/reports?limit=10')).body.reports;
    expect(listed.map((report: any) => report.reportId).at(-1)).toBe(reportId);
    expect(listed.map((report: any) => report.startedAt)).toEqual([...listed.map((report: any) => report.startedAt)].sort().reverse());
    const invalid = await adminRequest(testStack(), 'POST', '/admin/reports', { kind: 'churn', asOf: addDays(businessToday(), 1) });
    expect(invalid.status).toBe(422);
    expect(invalid.body.issues.map((issue: any) => issue.path).sort()).toEqual(['asOf', 'kind']);
    expect((await adminRequest(testStack(), 'GET', '/admin/reports/dormant-nope')).status).toBe(404);
    expect((await adminRequest(testStack(), 'GET', '/admin/reports/dormant-nope/rows')).status).toBe(404);
  });

  it('npm run report -- dormant writes the CSV and prints the segments and the win-back rate', async () => {
    const stack = testStack();
    await loseQueuedTasks();
    stack.startConsumers();
    const out = join(mkdtempSync(join(tmpdir(), 'report-')), 'dormant.csv');
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/local/report-cli.ts', 'dormant', '--as-of', D, '--out', out], {
      env: { ...process.env, API_URL: stack.url },
      encoding: 'utf8',
    });
    expect(stderr).toMatch(/started report dormant-/);
    expect(stderr).toContain(`9 dormant groups as of ${D}, written to ${out}: loyal 1, new 1, about-to-sleep 1, at-risk 2, lost 4`);
    expect(stderr).toContain('win-back: 3 of 10 groups in the base tier 30 days ago ordered since (rate 0.3)');
    const csv = readFileSync(out, 'utf8').split('\r\n');
    expect(csv[0]).toBe('groupId,name,contacts,lastOrderDate,daysSinceLastOrder,orders365,sum365,sum90d,toLowestPaidTier,r,f,m,segment');
    expect(csv.slice(1, -1).map((line) => line.split(',')[0])).toEqual(['G-B3', 'G-B2', 'G-B4', 'G-B5', 'G-B1', 'CX1', 'G-N1', 'G-N2', 'S-1']);
  });
});
