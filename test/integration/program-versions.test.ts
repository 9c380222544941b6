import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { handler as sendTierEmail } from '../../functions/send-tier-email.js';
import { insertProgramVersion, listProgramVersions } from '../../lib/adapters/dynamodb/program-versions.js';
import { addDays } from '../../lib/domain/business-date.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import type { SqsHandler } from '../../lib/local/queue-poller.js';
import defaultProgram from '../../lib/program/default-program.json' with { type: 'json' };
import withPolicy from '../../lib/program/examples/with-policy.json' with { type: 'json' };
import { loadProgramConfig, programToJson } from '../../lib/program/program-config.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { adminRequest } from '../support/admin.js';
import { recalculate, startRecalculation } from '../support/runs.js';
import { order, uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue } from '../support/queues.js';
import { closedPort } from '../support/ports.js';

// Dates are relative to today: a floor or version must not lie in the past, whatever day the suite runs.
const today = businessToday();
const day = (n: number) => addDays(today, n);

type RawProgram = typeof defaultProgram & Record<string, any>;
/** A deep copy of the default program with a change applied. */
function variant(change: (program: RawProgram) => void): RawProgram {
  const copy = structuredClone(defaultProgram) as RawProgram;
  change(copy);
  return copy;
}

const putProgram = (body: unknown, token?: string | null) => adminRequest(testStack(), 'PUT', '/admin/program', body, token);
const readProgram = () => adminRequest(testStack(), 'GET', '/admin/program');

const erpBodies: any[] = [];
let erp: Server;
let updatePriceList: SqsHandler;

beforeAll(async () => {
  erp = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      erpBodies.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => erp.listen(0, '127.0.0.1', resolve));
  // The consumer reads ERP_CALLBACK_URL as it loads: set it first.
  process.env.ERP_CALLBACK_URL = `http://127.0.0.1:${(erp.address() as AddressInfo).port}/price-lists`;
  ({ handler: updatePriceList } = await import('../../functions/update-price-list.js'));
});
afterAll(async () => {
  delete process.env.ERP_CALLBACK_URL;
  await new Promise((resolve) => erp.close(resolve));
});

// The tests share this file's tables and run in order.
describe('program versions (§4.1)', () => {
  it('before any version is stored, GET /admin/program shows the deployed program as version 1, effective from the beginning', async () => {
    const { status, body } = await readProgram();
    expect(status).toBe(200);
    expect(body).toEqual({
      version: 1,
      effectiveFrom: '0001-01-01',
      program: JSON.parse(JSON.stringify(programToJson(loadProgramConfig()))),
      versions: [{ version: 1, effectiveFrom: '0001-01-01', createdAt: null }],
    });
    expect(body.program.tiers[2]).toMatchObject({ id: 'silver', threshold: '150000.00', retainThreshold: '150000.00', benefitCodes: [] });
    expect(body.program.downgrade).toEqual({ graceDays: 0, minDaysInTier: 0, oneStepAtATime: false });
  });

  it('answers 401 on every new admin route without the admin token (the API token is not enough)', async () => {
    const stack = testStack();
    const routes: [method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown][] = [
      ['GET', '/admin/program'],
      ['PUT', '/admin/program', { effectiveFrom: day(10), program: defaultProgram }],
      ['PUT', '/admin/groups/G-1/floor', { tierId: 'gold', until: day(10) }],
      ['DELETE', '/admin/groups/G-1/floor'],
    ];
    for (const [method, path, body] of routes) {
      for (const token of [null, DEV_SECRETS.API_TOKEN, 'not-the-admin-token-at-all']) {
        const answer = await adminRequest(stack, method, path, body, token);
        expect({ method, path, token, status: answer.status, error: answer.body.error }).toEqual({ method, path, token, status: 401, error: 'unauthorized' });
      }
    }
    expect(await listProgramVersions()).toEqual([]);
  });

  it('422 names each bad field under program. with its path, and stores nothing', async () => {
    const invalid = variant((p) => {
      (p.tiers[3] as any).threshold = 'a lot';
      p.tiers[1]!.discountPercent = 101;
      p.qualifying = { brandMultipliers: { GROHE: 10.001 } };
      (p.tiers[4] as any).benefitCodes = ['Personal Manager'];
    });
    const { status, body } = await putProgram({ effectiveFrom: '2026-02-30', program: invalid });
    expect(status).toBe(422);
    expect(body.error).toBe('validation_failed');
    expect(body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(
      ['effectiveFrom', 'program.tiers[1].discountPercent', 'program.tiers[3].threshold', 'program.tiers[4].benefitCodes[0]', 'program.qualifying.brandMultipliers.GROHE'].sort(),
    );
    expect(await listProgramVersions()).toEqual([]);
  });

  it('422 names a retain threshold above its tier’s threshold (checked once every field is well-formed), and stores nothing', async () => {
    const { status, body } = await putProgram({ effectiveFrom: day(10), program: variant((p) => void ((p.tiers[2] as any).retainThreshold = '150000.01')) });
    expect(status).toBe(422);
    expect(body.issues).toEqual([{ path: 'program.tiers[2].retainThreshold', message: "must not exceed the tier's threshold (150000.00)" }]);
    expect(await listProgramVersions()).toEqual([]);
  });

  it('422 for what only a deployment may change: currency, time zone, default locale and the base tier id', async () => {
    const moved = variant((p) => {
      p.currency = 'EUR';
      p.timeZone = 'Europe/Berlin';
      p.defaultLocale = 'en';
      p.tiers[0]!.id = 'start';
    });
    const { status, body } = await putProgram({ effectiveFrom: day(10), program: moved });
    expect(status).toBe(422);
    expect(body.issues.map((issue: { path: string }) => issue.path)).toEqual(['program.currency', 'program.timeZone', 'program.defaultLocale', 'program.tiers[0].id']);
    expect(await listProgramVersions()).toEqual([]);
  });

  it('stores a valid program as version 2 (the deployed program becoming stored version 1) and lists versions newest first', async () => {
    const { status, body } = await putProgram({ effectiveFrom: day(10), program: withPolicy });
    expect({ status, body }).toEqual({ status: 201, body: { version: 2, effectiveFrom: day(10) } });
    const program = await readProgram();
    expect(program.body).toMatchObject({ version: 1, effectiveFrom: '0001-01-01' });
    expect(program.body.versions).toEqual([
      { version: 2, effectiveFrom: day(10), createdAt: expect.any(String) },
      { version: 1, effectiveFrom: '0001-01-01', createdAt: expect.any(String) },
    ]);
    const stored = await listProgramVersions();
    expect(stored.map((version) => version.version)).toEqual([2, 1]);
    expect(stored[0]!.program).toMatchObject({ downgrade: { graceDays: 14, minDaysInTier: 30, oneStepAtATime: true }, qualifying: { brandMultipliers: { GROHE: 1.5, 'Jacob Delafon': 2 } } });
  });

  it('gives concurrent PUTs distinct version numbers (conditional writes)', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => putProgram({ effectiveFrom: day(900), program: defaultProgram })));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    expect(answers.map((answer) => answer.body.version).sort()).toEqual([3, 4, 5, 6]);
    expect((await listProgramVersions()).map((version) => version.version)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('every reader uses the version in effect at the date it works for: the run, status, prices, email and ERP callback', async () => {
    const stack = testStack();
    const [bronzeGroup, silverGroup] = [uniqueId('G'), uniqueId('G')];
    const contact = `${silverGroup.toLowerCase()}@buyer.example`;
    await postWebhook(stack, 'groups', {
      groups: [
        { groupId: bronzeGroup, name: 'Bronze buyer', contacts: [], locale: 'en', version: 1 },
        { groupId: silverGroup, name: 'Silver buyer', contacts: [contact], locale: 'en', version: 1 },
      ],
    });
    await postWebhook(stack, 'prices', { prices: [{ sku: 'VALVE-15', brand: 'Grohe', price: '100.00', version: 1 }] });
    await postWebhook(stack, 'orders', {
      orders: [
        order({ orderId: uniqueId('O'), clientId: bronzeGroup, date: day(5), amount: '60000' }),
        order({ orderId: uniqueId('O'), clientId: silverGroup, date: day(15), amount: '160000' }),
      ],
    });
    const first = await recalculate(stack, day(10));
    expect(first.programVersion).toBe(2); // with-policy.json, effective from day 10
    const later = variant((p) => {
      p.tiers[1]!.discountPercent = 3;
      p.tiers[1]!.name.en = 'Bronze Plus';
      p.tiers[2]!.discountPercent = 5;
      p.tiers[2]!.name.en = 'Silver Plus';
      (p.tiers[2] as any).benefitCodes = ['priority-calls'];
    });
    expect((await putProgram({ effectiveFrom: day(20), program: later })).body).toEqual({ version: 7, effectiveFrom: day(20) });

    // The status at day 10 is described by version 2, not by the newer version 7 of day 20.
    expect((await getJson(stack, `/groups/${bronzeGroup}`)).body).toMatchObject({
      asOf: day(10),
      tier: { id: 'bronze', name: 'Bronze', discountPercent: 2, benefitCodes: ['priority-processing'] },
    });
    expect((await getJson(stack, `/groups/${bronzeGroup}/prices?sku=VALVE-15`)).body).toMatchObject({ discountPercent: 2, prices: [{ price: '98.00' }] });

    const second = await recalculate(stack, day(20));
    expect(second.programVersion).toBe(7);
    expect((await getJson(stack, `/groups/${bronzeGroup}`)).body.tier).toMatchObject({ id: 'bronze', name: 'Bronze Plus', discountPercent: 3, benefitCodes: [] });
    expect((await getJson(stack, `/groups/${bronzeGroup}/prices?sku=VALVE-15`)).body).toMatchObject({ discountPercent: 3, prices: [{ price: '97.00' }] });

    await drainQueue(stack, 'tierEmails', sendTierEmail, { batchSize: 10 });
    const store = (await (await fetch(`${stack.endpoints.sesEndpoint}/store`)).json()) as { emails: any[] };
    const email = store.emails.find((sent) => JSON.stringify(sent.destination).includes(contact));
    expect(email.subject).toContain('Silver Plus');
    expect(email.body.text).toContain('5%');

    await drainQueue(stack, 'priceListUpdates', updatePriceList, { batchSize: 10 });
    expect(erpBodies.find((body) => body.groupId === silverGroup)).toEqual({
      eventId: `${silverGroup}/${day(20)}/1`,
      groupId: silverGroup,
      clientIds: [],
      tierId: 'silver',
      discountPercent: 5,
      benefitCodes: ['priority-calls'],
      effectiveFrom: day(20),
    });
  });

  it('409 for an effectiveFrom on or before the latest run, or the as-of date of a run in progress; nothing stored', async () => {
    const stack = testStack();
    const count = async () => (await listProgramVersions()).length;
    const before = await count();
    for (const effectiveFrom of [day(19), day(20)]) {
      const answer = await putProgram({ effectiveFrom, program: defaultProgram });
      expect({ effectiveFrom, status: answer.status, error: answer.body.error }).toEqual({ effectiveFrom, status: 409, error: 'conflict' });
      expect(answer.body.message).toContain(day(20));
    }
    const started = await startRecalculation(stack, day(30));
    expect((await putProgram({ effectiveFrom: day(30), program: defaultProgram })).status).toBe(409);
    expect(await count()).toBe(before);
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    expect((await adminRequest(stack, 'GET', `/admin/runs/${started.body.runId}`)).body.status).toBe('succeeded');
  });

  it('a run applies the one version it recorded at its start, even when a version for its date appears mid-run', async () => {
    const stack = testStack();
    const group = uniqueId('G');
    await postWebhook(stack, 'orders', { orders: [order({ orderId: uniqueId('O'), clientId: group, date: day(35), amount: '200000' })] });
    const started = await startRecalculation(stack, day(40));
    // Every map shard, then — as if a PUT had passed its conflict check just before the run took its lease —
    // a version effective from the run's date that would put the group in bronze.
    await drainQueue(stack, 'recalcTasks', recalcWorker, { maxBatches: 32 });
    expect((await adminRequest(stack, 'GET', `/admin/runs/${started.body.runId}`)).body).toMatchObject({ programVersion: 7, progress: { phase: 'reduce' } });
    const stricter = programToJson(loadProgramConfig());
    (stricter.tiers as { threshold: string; retainThreshold: string }[])[2]!.threshold = '250000.00';
    (stricter.tiers as { threshold: string; retainThreshold: string }[])[2]!.retainThreshold = '250000.00';
    expect(await insertProgramVersion({ version: 8, effectiveFrom: day(40), createdAt: new Date().toISOString(), program: stricter })).toBe(true);
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    expect((await adminRequest(stack, 'GET', `/admin/runs/${started.body.runId}`)).body).toMatchObject({ status: 'succeeded', programVersion: 7 });
    const history = (await getJson(stack, `/groups/${group}/history`)).body.changes;
    expect(history).toEqual([expect.objectContaining({ asOf: day(40), from: 'base', to: 'silver', reason: 'sum' })]);
  });
});

describe('npm run program (the CLI over the admin API)', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/local/program-cli.ts', ...args], {
      env: { ...process.env, API_URL: testStack().url, ...env },
      encoding: 'utf8',
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it('show prints the version in effect today and its program (alone on stdout); versions lists them newest first', async () => {
    const shown = await cli(['show']);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain('program version 1, effective from 0001-01-01 (in effect today)');
    expect(JSON.parse(shown.stdout)).toEqual(programToJson(loadProgramConfig()));
    const listed = await cli(['versions']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+8 {2}effective from /);
    expect(lines.at(-1)).toMatch(/^\s+1 {2}effective from 0001-01-01 {2}stored .*<- in effect today$/);
  });

  it('set stores a program file as a new version, and prints each bad field of an invalid one with a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'program-cli-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(withPolicy));
    const stored = await cli(['set', good, '--effective-from', day(60)]);
    expect(stored).toMatchObject({ code: 0, stdout: `stored program version 9, effective from ${day(60)}\n` });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(variant((p) => void (p.qualifying = { brandMultipliers: { GROHE: 10.001 } }))));
    const refused = await cli(['set', bad, '--effective-from', day(61)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('422 validation_failed');
    expect(refused.stderr).toContain('program.qualifying.brandMultipliers.GROHE: a multiplier must be 0 to 10');
  });

  it('says in one line that the stack is down, exits non-zero, and shows usage on --help or bad arguments', async () => {
    const port = await closedPort();
    const down = await cli(['show'], { API_URL: `http://127.0.0.1:${port}` });
    expect(down.code).toBe(1);
    expect(down.stderr.trim().split('\n')).toEqual([
      `program: no local stack answers at http://127.0.0.1:${port}: start it with npm start (in another terminal), or set PORT (or API_URL) to the port it listens on`,
    ]);
    expect(await cli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('npm run program -- set <file.json> --effective-from YYYY-MM-DD') });
    expect(await cli(['set', 'x.json'])).toMatchObject({ code: 2, stderr: expect.stringContaining('see npm run program -- --help') });
    expect(await cli(['set', 'no-such-program.json', '--effective-from', '2027-01-01'])).toMatchObject({
      code: 2,
      stderr: 'program: file not found: no-such-program.json (give a JSON file, inline JSON starting with {, or - for stdin)\n',
    });
  });
});
