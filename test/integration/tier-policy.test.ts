import { describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { getGroupFloor } from '../../lib/adapters/dynamodb/group-floors.js';
import { getGroupState } from '../../lib/adapters/dynamodb/group-state.js';
import { addDays } from '../../lib/domain/business-date.js';
import withPolicy from '../../lib/program/examples/with-policy.json' with { type: 'json' };
import { businessToday } from '../../lib/program/program-versions.js';
import { resumeJob } from '../../lib/jobs/engine/lifecycle.js';
import { adminRequest } from '../support/admin.js';
import { recalculate, startRecalculation } from '../support/runs.js';
import { order, uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue, receive, removeQueue } from '../support/queues.js';

// Dates relative to today (a floor's `until` may not lie in the past). The run dates mirror §4.2's example:
// below on D1 with 3 grace days, still in the tier on D2 = D1+2, downgraded on D3 = D1+3.
const T = addDays(businessToday(), 10);
const D0 = T;
const D1 = addDays(T, 13);
const D2 = addDays(T, 15);
const D3 = addDays(T, 16);
const D4 = addDays(T, 19);
const D5 = addDays(T, 22);
const FLOOR_UNTIL = addDays(T, 14); // between D1 and D2

/** The example program with a short grace, stepping down one tier at a time. */
const policy = { ...structuredClone(withPolicy), downgrade: { graceDays: 3, minDaysInTier: 0, oneStepAtATime: true } };

const groups = {
  exact: uniqueId('EXACT'),
  grace: uniqueId('GRACE'),
  recover: uniqueId('RECOVER'),
  oneStep: uniqueId('ONESTEP'),
  floor: uniqueId('FLOOR'),
  floorRemoved: uniqueId('FLOORDEL'),
  focus: uniqueId('FOCUS'),
};
const orderIds = Object.fromEntries(Object.keys(groups).map((key) => [key, uniqueId('O')])) as Record<keyof typeof groups, string>;

const stateOf = (groupId: string) => getGroupState(groupId);
const status = async (groupId: string) => (await getJson(testStack(), `/groups/${groupId}`)).body;
const history = async (groupId: string) =>
  ((await getJson(testStack(), `/groups/${groupId}/history`)).body.changes as any[]).map(({ asOf, from, to, direction, reason }) => ({ asOf, from, to, direction, reason })).reverse();
const returnTo = (key: keyof typeof groups, amount: string) =>
  order({ orderId: orderIds[key], clientId: groups[key], date: addDays(T, -5), amount, version: 2 });

/** Every tier change published to the email queue so far. */
async function takePublished(): Promise<any[]> {
  const bodies: any[] = [];
  for (let batch = await receive(testStack(), 'tierEmails'); batch.length > 0; batch = await receive(testStack(), 'tierEmails')) {
    bodies.push(...batch.map((message) => JSON.parse(message.Body!)));
  }
  return bodies;
}

// One program, one set of groups, run dates in order: each test continues where the previous one left off.
describe('tier policy through the run: retain thresholds, grace, one step at a time, floors, focus brands (§4.2–4.3)', () => {
  it('D0: the policy version is stored; entries by the qualifying sum, a floor lifts a group with no purchases', async () => {
    const stack = testStack();
    expect((await adminRequest(stack, 'PUT', '/admin/program', { effectiveFrom: T, program: policy })).status).toBe(201);
    await postWebhook(stack, 'groups', {
      groups: [
        { groupId: groups.floor, name: 'Anchor client', version: 1 },
        { groupId: groups.floorRemoved, name: 'Former anchor', version: 1 },
      ],
    });
    const at = addDays(T, -5);
    await postWebhook(stack, 'orders', {
      orders: [
        order({ orderId: orderIds.exact, clientId: groups.exact, date: at, amount: '150000' }),
        order({ orderId: orderIds.grace, clientId: groups.grace, date: at, amount: '150000' }),
        order({ orderId: orderIds.recover, clientId: groups.recover, date: at, amount: '150000' }),
        order({ orderId: orderIds.oneStep, clientId: groups.oneStep, date: at, amount: '600000' }),
        {
          ...order({ orderId: orderIds.focus, clientId: groups.focus, date: at, amount: '40000.00' }),
          // 40,000 real; GROHE ×1.5 on 20,000 of lines (brand in any case) adds 10,000: 50,000 qualifying.
          lines: [
            { sku: 'G-1', brand: 'GROHE', quantity: 1, amount: '15000.00' },
            { sku: 'G-2', brand: 'grohe', quantity: 1, amount: '5000.00' },
            { sku: 'R-1', brand: 'Rehau', quantity: 2, amount: '20000.00' },
          ],
        },
      ],
    });
    for (const [groupId, tierId, until] of [
      [groups.floor, 'gold', FLOOR_UNTIL],
      [groups.floorRemoved, 'silver', addDays(T, 30)],
    ] as const) {
      const floor = await adminRequest(stack, 'PUT', `/admin/groups/${groupId}/floor`, { tierId, until, note: 'anchor client' });
      expect(floor).toEqual({ status: 200, body: { groupId, tierId, until, note: 'anchor client' } });
    }

    const run = await recalculate(stack, D0);
    expect(run).toMatchObject({ programVersion: 2, changed: 7, up: 7 });
    expect(await status(groups.focus)).toMatchObject({
      sum90d: '40000.00',
      qualifyingSum90d: '50000.00',
      tier: { id: 'bronze', benefitCodes: ['priority-processing'] },
      nextTier: { id: 'silver', remaining: '100000.00' },
    });
    expect(await status(groups.grace)).toMatchObject({ tier: { id: 'silver', benefitCodes: ['priority-processing', 'priority-calls'] }, qualifyingSum90d: '150000.00' });
    expect(await status(groups.floor)).toMatchObject({ sum90d: '0.00', tier: { id: 'gold' }, floor: { tierId: 'gold', until: FLOOR_UNTIL } });
    expect(await history(groups.floor)).toEqual([{ asOf: D0, from: 'base', to: 'gold', direction: 'up', reason: 'floor' }]);
    expect(await history(groups.oneStep)).toEqual([{ asOf: D0, from: 'base', to: 'gold', direction: 'up', reason: 'sum' }]);
  });

  it('D1: exactly at the retain threshold keeps the tier; below it starts the countdown; a floor in force and a removed floor', async () => {
    const stack = testStack();
    await postWebhook(stack, 'orders', {
      orders: [returnTo('exact', '120000.00'), returnTo('grace', '100000'), returnTo('recover', '100000'), returnTo('oneStep', '10000')],
    });
    expect((await adminRequest(stack, 'DELETE', `/admin/groups/${groups.floorRemoved}/floor`)).status).toBe(204);
    expect(await getGroupFloor(groups.floorRemoved)).toBeUndefined();
    expect((await status(groups.floorRemoved)).floor).toBeNull();

    expect(await recalculate(stack, D1)).toMatchObject({ changed: 0 });
    expect(await stateOf(groups.exact)).toMatchObject({ tierId: 'silver', belowRetainSince: null, qualifyingSum: 12_000_000n });
    for (const key of ['grace', 'recover'] as const) expect(await stateOf(groups[key])).toMatchObject({ tierId: 'silver', belowRetainSince: D1 });
    expect(await stateOf(groups.oneStep)).toMatchObject({ tierId: 'gold', belowRetainSince: D1 });
    expect(await stateOf(groups.floor)).toMatchObject({ tierId: 'gold', belowRetainSince: null }); // the floor holds it: no countdown
    expect(await stateOf(groups.floorRemoved)).toMatchObject({ tierId: 'silver', belowRetainSince: D1 });
  });

  it('D2 (grace not over): nobody drops; a purchase during the grace clears the countdown; after its floor ends a group starts counting down', async () => {
    const stack = testStack();
    await postWebhook(stack, 'orders', { orders: [order({ orderId: uniqueId('O'), clientId: groups.recover, date: addDays(D1, 1), amount: '30000' })] });
    expect(await recalculate(stack, D2)).toMatchObject({ changed: 0 });
    expect(await stateOf(groups.recover)).toMatchObject({ tierId: 'silver', belowRetainSince: null, qualifyingSum: 13_000_000n });
    expect(await stateOf(groups.grace)).toMatchObject({ tierId: 'silver', belowRetainSince: D1 });
    expect(await stateOf(groups.floor)).toMatchObject({ tierId: 'gold', belowRetainSince: D2 });
  });

  it('D3, killed after its map phase, with a publish failing mid-reduce, then resumed twice: each due downgrade happens once, no countdown skipped or doubled', async () => {
    const stack = testStack();
    await takePublished();
    const { body } = await startRecalculation(stack, D3);
    // Killed after every map shard: its reduce tasks are never delivered.
    await drainQueue(stack, 'recalcTasks', recalcWorker, { maxBatches: 32 });
    expect((await adminRequest(stack, 'GET', `/admin/runs/${body.runId}`)).body.progress).toMatchObject({ phase: 'reduce', reduceShardsDone: 0 });
    // A real fault between recording the changes and publishing them: the email queue is gone for a while,
    // so the shards holding the downgrades fail after writing their states and are retried.
    const emailQueue = await removeQueue(stack, 'tierEmails');
    await resumeJob(body.runId);
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    expect((await adminRequest(stack, 'GET', `/admin/runs/${body.runId}`)).body.status).toBe('running');
    await emailQueue.restore();
    await resumeJob(body.runId);
    await resumeJob(body.runId); // a duplicated resume queues the same shards twice: harmless
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    expect((await adminRequest(stack, 'GET', `/admin/runs/${body.runId}`)).body).toMatchObject({ status: 'succeeded', changed: 3, down: 3, up: 0 });

    const published = await takePublished();
    expect(published.map((change) => `${change.groupId}:${change.from}>${change.to}`).sort()).toEqual(
      [`${groups.grace}:silver>bronze`, `${groups.oneStep}:gold>silver`, `${groups.floorRemoved}:silver>bronze`].sort(),
    );
    expect(new Set(published.map((change) => change.eventId)).size).toBe(3);
    expect(await history(groups.grace)).toEqual([
      { asOf: D0, from: 'base', to: 'silver', direction: 'up', reason: 'sum' },
      { asOf: D3, from: 'silver', to: 'bronze', direction: 'down', reason: 'sum' },
    ]);
    // One step only, and the countdown starts again in the new tier on the date it arrived.
    expect(await stateOf(groups.oneStep)).toMatchObject({ tierId: 'silver', tierSince: D3, belowRetainSince: D3 });
    expect(await stateOf(groups.grace)).toMatchObject({ tierId: 'bronze', belowRetainSince: null });
    for (const key of ['exact', 'recover'] as const) expect(await stateOf(groups[key])).toMatchObject({ tierId: 'silver', belowRetainSince: null });
    expect(await stateOf(groups.floor)).toMatchObject({ tierId: 'gold', belowRetainSince: D2 });

    const rerun = await recalculate(stack, D3);
    expect(rerun).toMatchObject({ changed: 0 });
    expect(await takePublished()).toEqual([]);
  });

  it('D4: the restarted countdown steps the group down once more; the floor that ended downgrades its group one step', async () => {
    const stack = testStack();
    expect(await recalculate(stack, D4)).toMatchObject({ changed: 3, down: 3 });
    expect(await history(groups.oneStep)).toEqual([
      { asOf: D0, from: 'base', to: 'gold', direction: 'up', reason: 'sum' },
      { asOf: D3, from: 'gold', to: 'silver', direction: 'down', reason: 'sum' },
      { asOf: D4, from: 'silver', to: 'bronze', direction: 'down', reason: 'sum' },
    ]);
    expect(await history(groups.floor)).toEqual([
      { asOf: D0, from: 'base', to: 'gold', direction: 'up', reason: 'floor' },
      { asOf: D4, from: 'gold', to: 'silver', direction: 'down', reason: 'sum' },
    ]);
    expect((await history(groups.floorRemoved)).at(-1)).toEqual({ asOf: D4, from: 'bronze', to: 'base', direction: 'down', reason: 'sum' });
  });

  it('D5: a version that drops a tier re-evaluates its groups by retain thresholds, with reason program; other rules go on', async () => {
    const stack = testStack();
    const withoutSilver = { ...policy, tiers: policy.tiers.filter((tier) => tier.id !== 'silver') };
    expect((await adminRequest(stack, 'PUT', '/admin/program', { effectiveFrom: D5, program: withoutSilver })).body).toEqual({ version: 3, effectiveFrom: D5 });
    expect(await recalculate(stack, D5)).toMatchObject({ programVersion: 3, changed: 4, down: 4 });
    expect((await history(groups.exact)).at(-1)).toEqual({ asOf: D5, from: 'silver', to: 'bronze', direction: 'down', reason: 'program' });
    expect((await history(groups.recover)).at(-1)).toEqual({ asOf: D5, from: 'silver', to: 'bronze', direction: 'down', reason: 'program' });
    expect((await history(groups.floor)).at(-1)).toEqual({ asOf: D5, from: 'silver', to: 'base', direction: 'down', reason: 'program' });
    // Its bronze countdown (from D4) is over on D5 = D4 + 3 under the new version too.
    expect((await history(groups.oneStep)).at(-1)).toEqual({ asOf: D5, from: 'bronze', to: 'base', direction: 'down', reason: 'sum' });
  });
});

describe('PUT /admin/groups/{groupId}/floor refuses bad floors and stores nothing', () => {
  it('422 names an unknown tier id and an until in the past; 404 for an unknown group', async () => {
    const stack = testStack();
    const groupId = groups.focus;
    const yesterday = addDays(businessToday(), -1);
    const bad = await adminRequest(stack, 'PUT', `/admin/groups/${groupId}/floor`, { tierId: 'diamond', until: yesterday });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['until', 'tierId']);
    expect(bad.body.issues[1].message).toContain('has no tier "diamond"');
    const malformed = await adminRequest(stack, 'PUT', `/admin/groups/${groupId}/floor`, { tierId: 'gold', until: '2026-13-01', colour: 'red' });
    expect(malformed.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['(body)', 'until']);
    const unknown = await adminRequest(stack, 'PUT', '/admin/groups/NOBODY-KNOWN/floor', { tierId: 'gold', until: addDays(T, 30) });
    expect(unknown.status).toBe(404);
    expect(await getGroupFloor(groupId)).toBeUndefined();
    expect(await getGroupFloor('NOBODY-KNOWN')).toBeUndefined();
  });

  it('422 for a tier that a version in effect before until no longer has', async () => {
    // Version 3 (from D5 on) has no silver: a floor in silver until after D5 could not be honoured.
    const answer = await adminRequest(testStack(), 'PUT', `/admin/groups/${groups.focus}/floor`, { tierId: 'silver', until: addDays(D5, 1) });
    expect(answer.status).toBe(422);
    expect(answer.body.issues).toEqual([{ path: 'tierId', message: expect.stringContaining(`program version 3 (effective from ${D5}) has no tier "silver"`) }]);
    const untilBefore = await adminRequest(testStack(), 'PUT', `/admin/groups/${groups.focus}/floor`, { tierId: 'silver', until: addDays(D5, -1) });
    expect(untilBefore.status).toBe(200);
  });
});
