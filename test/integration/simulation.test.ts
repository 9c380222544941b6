import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { getGroupState } from '../../lib/adapters/dynamodb/group-state.js';
import { leaseHolder } from '../../lib/adapters/dynamodb/run-lease.js';
import { addDays } from '../../lib/domain/business-date.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import defaultProgram from '../../lib/program/default-program.json' with { type: 'json' };
import { businessToday } from '../../lib/program/program-versions.js';
import { adminRequest } from '../support/admin.js';
import { order } from '../support/fixtures.js';
import { postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue, receive } from '../support/queues.js';

// A hand-computed data set, as of yesterday (an as-of date may not lie after today; a floor's until not before it).
const D = addDays(businessToday(), -1);

/** The default program with bronze at 40,000 ₽ and 3%, silver at 200,000 ₽, gold at 400,000 ₽, GROHE counting double. */
function candidateProgram() {
  const program = structuredClone(defaultProgram) as typeof defaultProgram & { qualifying?: unknown };
  program.tiers[1]!.threshold = '40000';
  program.tiers[1]!.discountPercent = 3;
  program.tiers[2]!.threshold = '200000';
  program.tiers[3]!.threshold = '400000';
  program.qualifying = { brandMultipliers: { GROHE: 2 } };
  return program;
}

async function simulate(body: unknown): Promise<any> {
  const started = await adminRequest(testStack(), 'POST', '/admin/simulations', body);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await drainQueue(testStack(), 'recalcTasks', recalcWorker);
  return (await adminRequest(testStack(), 'GET', `/admin/simulations/${started.body.simulationId}`)).body;
}

async function getText(path: string): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(`${testStack().url}${path}`, { headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}` } });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

const cost = (current: string, candidate: string) => ({ current, candidate });
const side = (groups: number, sum90d: string, discountCost: string) => ({ groups, sum90d, discountCost });

describe('what-if simulation on the live base (§4.5)', () => {
  let simulationId: string;

  it('puts every group with a purchase or a floor in a tier by each program, and totals tiers, moves and costs to the kopeck', async () => {
    const stack = testStack();
    await postWebhook(stack, 'groups', {
      groups: [
        { groupId: 'G-A', name: 'Alpha', version: 1 },
        { groupId: 'G-B', name: 'Bravo', version: 1 },
        { groupId: 'G-C', name: 'Gamma, Ltd', version: 1 },
        { groupId: 'G-D', name: 'Delta', version: 1 },
        { groupId: 'G-H', name: 'ООО "Вода, Тепло"', version: 1 },
        { groupId: 'G-K', name: 'Kilo', version: 1 },
        { groupId: 'G-P', name: 'Papa', version: 1 },
      ],
    });
    await postWebhook(stack, 'clients', {
      clients: ['A', 'B', 'C', 'D', 'H', 'P'].map((g) => ({ clientId: `C${g}1`, name: `Client ${g}`, groupId: `G-${g}`, version: 1 })).concat([
        { clientId: 'CK1', name: 'Kilo one', groupId: 'G-K', version: 1 },
        { clientId: 'CK2', name: 'Kilo two', groupId: 'G-K', version: 1 },
      ]),
    });
    await postWebhook(stack, 'orders', {
      orders: [
        order({ orderId: 'O-A', clientId: 'CA1', date: addDays(D, -89), amount: '45000.00' }), // the window's first day
        order({ orderId: 'O-B', clientId: 'CB1', date: D, amount: '60000.25' }),
        {
          ...order({ orderId: 'O-C', clientId: 'CC1', date: addDays(D, -3), amount: '380000.00' }),
          lines: [
            { sku: 'G-1', brand: 'Grohe', quantity: 1, amount: '30000.00' }, // × 2 for the candidate: +30,000 qualifying
            { sku: 'R-1', brand: 'Rehau', quantity: 1, amount: '350000.00' },
          ],
        },
        order({ orderId: 'O-D', clientId: 'CD1', date: addDays(D, -5), amount: '33333.33' }),
        order({ orderId: 'O-H', clientId: 'CH1', date: addDays(D, -7), amount: '160000.00' }),
        order({ orderId: 'O-K1', clientId: 'CK1', date: addDays(D, -8), amount: '30000.00' }),
        order({ orderId: 'O-K2', clientId: 'CK2', date: addDays(D, -9), amount: '25000.00' }),
        order({ orderId: 'O-P', clientId: 'CP1', date: addDays(D, -10), amount: '1600000.00' }),
        order({ orderId: 'O-Z', clientId: 'CZ1', date: addDays(D, -10), amount: '70000.00', status: 'cancelled' }), // not counted: no purchase
        order({ orderId: 'O-Y', clientId: 'CY1', date: addDays(D, -90), amount: '100000.00' }), // the day before the window
        order({ orderId: 'O-T', clientId: 'CT1', date: addDays(D, 1), amount: '100000.00' }), // after D
      ],
    });
    const floor = await adminRequest(stack, 'PUT', '/admin/groups/G-D/floor', { tierId: 'silver', until: addDays(D, 30), note: 'anchor' });
    expect(floor.status).toBe(200);

    const simulation = await simulate({ asOf: D, program: candidateProgram() });
    simulationId = simulation.simulationId;
    expect(simulation).toMatchObject({ simulationId, asOf: D, status: 'succeeded', programVersion: 1, groups: 7, movers: 3 });
    // Current (the default program): A base; B, K bronze; C, D (floor), H silver; P platinum.
    // Candidate: A, B, H, K bronze (3%); D silver (floor); C gold (380,000 real, 410,000 qualifying); P platinum.
    expect(simulation.tiers).toEqual([
      { id: 'base', current: side(1, '45000.00', '0.00'), candidate: side(0, '0.00', '0.00') },
      // current: 2% of 60,000.25 = 1,200.005 → 1,200.01; of 55,000.00 = 1,100.00
      // candidate: 3% of 45,000.00 + 60,000.25 (1,800.0075 → 1,800.01) + 160,000.00 + 55,000.00
      { id: 'bronze', current: side(2, '115000.25', '2300.01'), candidate: side(4, '320000.25', '9600.01') },
      // current: 4% of 380,000.00 + 33,333.33 (1,333.3332 → 1,333.33) + 160,000.00
      { id: 'silver', current: side(3, '573333.33', '22933.33'), candidate: side(1, '33333.33', '1333.33') },
      { id: 'gold', current: side(0, '0.00', '0.00'), candidate: side(1, '380000.00', '22800.00') },
      { id: 'platinum', current: side(1, '1600000.00', '128000.00'), candidate: side(1, '1600000.00', '128000.00') },
    ]);
    expect(simulation.moves).toEqual({
      up: 2,
      down: 1,
      same: 4,
      matrix: { base: { bronze: 1 }, bronze: { bronze: 2 }, silver: { gold: 1, silver: 1, bronze: 1 }, platinum: { platinum: 1 } },
    });
    expect(simulation.discountCost).toEqual({ ...cost('153233.34', '161733.34'), delta: '8500.00' });
  });

  it('lists the movers largest sum first, as JSON and as CSV with a header row and RFC 4180 quoting', async () => {
    const movers = await adminRequest(testStack(), 'GET', `/admin/simulations/${simulationId}/movers`);
    expect(movers).toEqual({
      status: 200,
      body: [
        { groupId: 'G-C', name: 'Gamma, Ltd', sum90d: '380000.00', qualifyingSum90d: '410000.00', from: 'silver', to: 'gold' },
        { groupId: 'G-H', name: 'ООО "Вода, Тепло"', sum90d: '160000.00', qualifyingSum90d: '160000.00', from: 'silver', to: 'bronze' },
        { groupId: 'G-A', name: 'Alpha', sum90d: '45000.00', qualifyingSum90d: '45000.00', from: 'base', to: 'bronze' },
      ],
    });
    const csv = await getText(`/admin/simulations/${simulationId}/movers?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe(
      [
        'groupId,name,sum90d,qualifyingSum90d,from,to',
        'G-C,"Gamma, Ltd",380000.00,410000.00,silver,gold',
        'G-H,"ООО ""Вода, Тепло""",160000.00,160000.00,silver,bronze',
        'G-A,Alpha,45000.00,45000.00,base,bronze',
        '',
      ].join('\r\n'),
    );
    const firstPage = await getText(`/admin/simulations/${simulationId}/movers?limit=2`);
    expect(JSON.parse(firstPage.body).map((mover: any) => mover.groupId)).toEqual(['G-C', 'G-H']);
    expect(firstPage.headers.get('x-total-count')).toBe('3');
    expect(firstPage.headers.get('link')).toBe(`</admin/simulations/${simulationId}/movers?offset=2&limit=2>; rel="next"`);
    const lastPage = await getText(`/admin/simulations/${simulationId}/movers?offset=2&limit=2`);
    expect(JSON.parse(lastPage.body).map((mover: any) => mover.groupId)).toEqual(['G-A']);
    expect(lastPage.headers.get('link')).toBeNull();
  });

  it('writes no group state, records no change and sends nothing', async () => {
    for (const groupId of ['G-A', 'G-C', 'G-D', 'G-P']) expect(await getGroupState(groupId)).toBeUndefined();
    expect(await receive(testStack(), 'tierEmails')).toEqual([]);
    expect(await receive(testStack(), 'priceListUpdates')).toEqual([]);
    expect((await adminRequest(testStack(), 'GET', '/groups/G-C/history', undefined, DEV_SECRETS.API_TOKEN)).body.changes).toEqual([]);
  });

  it('runs beside a recalculation that holds the lease, without taking it', async () => {
    const stack = testStack();
    const run = await adminRequest(stack, 'POST', '/admin/recalculate', { asOf: D });
    expect(run.status).toBe(202);
    const started = await adminRequest(stack, 'POST', '/admin/simulations', { asOf: D, program: candidateProgram() });
    expect(started.status).toBe(202);
    expect((await leaseHolder())?.runId).toBe(run.body.runId);
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    const [simulation, recalculation] = await Promise.all([
      adminRequest(stack, 'GET', `/admin/simulations/${started.body.simulationId}`),
      adminRequest(stack, 'GET', `/admin/runs/${run.body.runId}`),
    ]);
    expect(simulation.body).toMatchObject({ status: 'succeeded', groups: 7, discountCost: { delta: '8500.00' } });
    expect(recalculation.body).toMatchObject({ status: 'succeeded', changed: 6 });
    expect(await leaseHolder()).toBeUndefined();
  });

  it('gives the same numbers once a run has stored the groups’ tiers (it reads sums, not stored state), and lists simulations newest first', async () => {
    const simulation = await simulate({ asOf: D, program: candidateProgram() });
    expect(simulation.discountCost).toEqual({ ...cost('153233.34', '161733.34'), delta: '8500.00' });
    const listed = await adminRequest(testStack(), 'GET', '/admin/simulations?limit=2');
    expect(listed.body.simulations.map((listedOne: any) => listedOne.simulationId)).toEqual([simulation.simulationId, expect.any(String)]);
    expect(listed.body.simulations[0]).toMatchObject({ status: 'succeeded', groups: 7, moves: { up: 2, down: 1, same: 4 }, movers: 3 });
    const rest = await adminRequest(testStack(), 'GET', `/admin/simulations?limit=2&cursor=${listed.body.next}`);
    expect(rest.body.simulations.at(-1).simulationId).toBe(simulationId);
  });

  it('422 names each bad field of the candidate with its path, and of the as-of date; nothing is started', async () => {
    const program = candidateProgram();
    program.tiers[2]!.threshold = '30000'; // not above bronze's 40,000
    (program.tiers[3] as any).discountPercent = 'six';
    const invalid = await adminRequest(testStack(), 'POST', '/admin/simulations', { asOf: addDays(businessToday(), 1), program });
    expect(invalid.status).toBe(422);
    expect(invalid.body.issues.map((issue: any) => issue.path).sort()).toEqual(['asOf', 'program.tiers[3].discountPercent']);
    const ordering = candidateProgram();
    ordering.tiers[2]!.threshold = '30000';
    const unordered = await adminRequest(testStack(), 'POST', '/admin/simulations', { asOf: D, program: ordering });
    expect(unordered.body.issues).toEqual([
      { path: 'program.tiers[2].threshold', message: 'thresholds must strictly increase' },
      { path: 'program.tiers[2].retainThreshold', message: "must be above the previous tier's retain threshold" },
    ]);
    const otherCurrency = { ...candidateProgram(), currency: 'EUR' };
    expect((await adminRequest(testStack(), 'POST', '/admin/simulations', { asOf: D, program: otherCurrency })).body.issues).toEqual([
      { path: 'program.currency', message: 'must be "RUB", as deployed: a program version cannot change it' },
    ]);
    expect(await receive(testStack(), 'recalcTasks')).toEqual([]);
  });

  it('404 for an unknown simulation or a run id; 401 without the admin token', async () => {
    const unknown = await adminRequest(testStack(), 'GET', '/admin/simulations/sim-nope');
    expect(unknown).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await adminRequest(testStack(), 'GET', '/admin/simulations/sim-nope/movers')).status).toBe(404);
    const runs = (await adminRequest(testStack(), 'GET', '/admin/simulations')).body.simulations;
    expect((await adminRequest(testStack(), 'GET', `/admin/runs/${runs[0].simulationId}`)).status).toBe(404);
    expect((await adminRequest(testStack(), 'GET', `/admin/simulations/${simulationId}`, undefined, DEV_SECRETS.API_TOKEN)).status).toBe(401);
  });

  it('npm run simulate prints its progress, the tier table and the cost delta', async () => {
    const stack = testStack();
    stack.startConsumers();
    const file = join(mkdtempSync(join(tmpdir(), 'simulate-')), 'candidate.json');
    writeFileSync(file, JSON.stringify(candidateProgram()));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'lib/local/simulate-cli.ts', '--as-of', D, '--program', file], {
      env: { ...process.env, API_URL: stack.url },
      encoding: 'utf8',
    });
    expect(stderr).toMatch(/started simulation sim-/);
    expect(stderr).toMatch(/succeeded: done — orders 32\/32 shards, groups 32\/32 shards/);
    const table = stdout.split('\n');
    expect(table[0]).toMatch(/^tier\s+groups now\s+sum 90d now\s+cost now\s+groups then\s+sum 90d then\s+cost then$/);
    expect(table[2]).toMatch(/^bronze\s+2\s+115000\.25\s+2300\.01\s+4\s+320000\.25\s+9600\.01$/);
    expect(stdout).toContain('7 groups as of');
    expect(table.filter(Boolean).at(-1)).toBe('discount cost: now 153233.34, then 161733.34, delta +8500.00');
  });
});
