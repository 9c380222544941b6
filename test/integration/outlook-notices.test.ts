import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { handler as sendEmails } from '../../functions/send-tier-email.js';
import { getGroupState, writeStates } from '../../lib/adapters/dynamodb/group-state.js';
import { addDays } from '../../lib/domain/business-date.js';
import { noticeFor } from '../../lib/domain/notices.js';
import { resumeJob } from '../../lib/jobs/engine/lifecycle.js';
import { formatDateForHumans } from '../../lib/notifications/format.js';
import defaultProgram from '../../lib/program/default-program.json' with { type: 'json' };
import { loadProgramConfig } from '../../lib/program/program-config.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { adminRequest, recalculate } from '../support/admin.js';
import { order, uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';
import { drainQueue } from '../support/queues.js';

// Run dates in the past (orders and runs may not be dated after today), each test going on from the last.
const D1 = addDays(businessToday(), -100);
const D0 = addDays(D1, -1);
const D2 = addDays(D1, 1);
const D3 = addDays(D1, 5); // the cool-down (5 days) after D1 is over
const D4 = addDays(D1, 11);
const day = (n: number) => addDays(D1, n);

/** The default tiers with short notice settings: at risk within 10 days, one notice of a kind per 5 days. */
const program = { ...structuredClone(defaultProgram), notices: { enabled: true, atRiskDays: 10, nearNextTierPercent: 10, cooldownDays: 5 } };

/** Groups of companies, one client each; every group but `silent` has a contact of its own. */
const groups = {
  exact: { groupId: uniqueId('EXACT'), locale: 'en' },
  later: { groupId: uniqueId('LATER'), locale: 'en' },
  silent: { groupId: uniqueId('SILENT'), locale: 'ru' },
  lifted: { groupId: uniqueId('LIFTED'), locale: 'en' },
  near: { groupId: uniqueId('NEAR'), locale: 'ru' },
} as const;
type Key = keyof typeof groups;
const contactOf = (key: Key) => `${groups[key].groupId.toLowerCase()}@buyer.example`;
const clientOf = (key: Key) => `${groups[key].groupId}-C`;

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

/** Delivers the email queue to the real consumer, then lists what the SES server holds for a group's contact. */
async function emailsTo(key: Key): Promise<StoredEmail[]> {
  const stack = testStack();
  await drainQueue(stack, 'tierEmails', sendEmails, { batchSize: 10 });
  const { emails } = (await (await fetch(`${stack.endpoints.sesEndpoint}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((email) => email.destination.to.includes(contactOf(key)));
}
const subjectsTo = async (key: Key) => (await emailsTo(key)).map((email) => plainSpaces(email.subject));
const plainSpaces = (text = '') => text.replace(/[\u00a0\u202f]/g, ' ');
const status = async (key: Key) => (await getJson(testStack(), `/groups/${groups[key].groupId}`)).body;
const en = (date: string) => formatDateForHumans(date, 'en');

// Each step is a whole run of 64 shard tasks and an email drain: generous time on a busy machine.
describe('outlook and notices through the run and the email store (§4.4)', { timeout: 180_000 }, () => {
  it('D0: the notice settings are a program version; groups entering a tier get the tier email, no notice', async () => {
    const stack = testStack();
    expect((await adminRequest(stack, 'PUT', '/admin/program', { effectiveFrom: D0, program })).status).toBe(201);
    expect((await adminRequest(stack, 'GET', '/admin/program')).body.versions).toHaveLength(2);
    await postWebhook(stack, 'groups', {
      groups: (Object.keys(groups) as Key[]).map((key) => ({
        groupId: groups[key].groupId,
        name: `Group ${key}`,
        contacts: key === 'silent' ? [] : [contactOf(key)],
        locale: groups[key].locale,
        version: 1,
      })),
    });
    await postWebhook(stack, 'clients', { clients: (Object.keys(groups) as Key[]).map((key) => ({ clientId: clientOf(key), name: key, groupId: groups[key].groupId, version: 1 })) });
    const buy = (key: Key, date: string, amount: string) => order({ orderId: uniqueId('O'), clientId: clientOf(key), date, amount });
    await postWebhook(stack, 'orders', {
      orders: [
        // Leaves the window on D1 + 11: at D1 the sum holds silver until D1 + 10, exactly atRiskDays away.
        buy('exact', day(-79), '150000'),
        // A day later: holds until D1 + 11, one day beyond atRiskDays.
        buy('later', day(-78), '150000'),
        buy('silent', day(-79), '150000'),
        buy('lifted', day(-79), '150000'),
        // 460,000 in silver: 40,000 short of gold, within 10% of its 500,000.
        buy('near', day(-30), '460000'),
      ],
    });

    expect(await recalculate(stack, D0)).toMatchObject({ programVersion: 2, changed: 5, up: 5, notices: { atRisk: 0, nearNextTier: 0, noContacts: 0 } });
    expect(await subjectsTo('exact')).toEqual(['Congratulations: your new tier is Silver']);
  });

  it('D1: a group exactly atRiskDays from its drop gets one at-risk notice saying the date, the amount and the tier; one without contacts is counted, not sent', async () => {
    const stack = testStack();
    const run = await recalculate(stack, D1);
    expect(run).toMatchObject({ changed: 0, notices: { atRisk: 2, nearNextTier: 1, noContacts: 1 } });

    expect((await status('exact')).outlook).toEqual({ holdsUntil: day(10), toKeep: '150000.00', belowRetainSince: null, downgradeOn: day(11), downgradeTo: 'base' });
    expect((await status('later')).outlook).toMatchObject({ holdsUntil: day(11), downgradeOn: day(12) });

    const [welcome, notice, ...more] = await emailsTo('exact');
    expect(more).toEqual([]);
    expect(welcome!.subject).toContain('Silver');
    expect(plainSpaces(notice!.subject)).toBe(`Keep your Silver tier: RUB 150,000.00 more by ${en(day(11))}`);
    const text = plainSpaces(notice!.body.text);
    expect(text).toContain(`keep the Silver tier until ${en(day(10))}`);
    expect(text).toContain(`purchases of RUB 150,000.00 more by ${en(day(11))} will keep the tier`);
    expect(text).toContain(`the tier changes to Base on ${en(day(11))}`);
    expect(`${notice!.body.text}${notice!.body.html}`).not.toMatch(/https?:|<a\s/);

    expect(await subjectsTo('later')).toEqual(['Congratulations: your new tier is Silver']);
    expect(await subjectsTo('silent')).toEqual([]);
    expect(await subjectsTo('near')).toEqual(['Поздравляем: ваш новый уровень — «Серебро»', 'До уровня «Золото» осталось 40 000,00 ₽']);
    const nearText = plainSpaces((await emailsTo('near'))[1]!.body.text);
    expect(nearText).toContain(`На ${formatDateForHumans(D1, 'ru')} группе компаний «Group near» до уровня «Золото» (500 000,00 ₽ покупок за 90 дней) осталось купить на 40 000,00 ₽.`);
  });

  it('D1 again: a rerun sends nothing (the group without contacts is counted again)', async () => {
    const run = await recalculate(testStack(), D1);
    expect(run).toMatchObject({ changed: 0, notices: { atRisk: 0, nearNextTier: 0, noContacts: 1 } });
    expect(await emailsTo('exact')).toHaveLength(2);
    expect(await emailsTo('near')).toHaveLength(2);
    expect(await emailsTo('lifted')).toHaveLength(2);
  });

  it('D2: the group a day further is now exactly atRiskDays away; the first waits for its cool-down; buying toKeep moves holdsUntil out', async () => {
    const stack = testStack();
    // What the at-risk notice asked of it: 150,000 by D1 + 11.
    await postWebhook(stack, 'orders', { orders: [order({ orderId: uniqueId('O'), clientId: clientOf('lifted'), date: D2, amount: '150000' })] });
    const run = await recalculate(stack, D2);
    expect(run).toMatchObject({ changed: 0, notices: { atRisk: 1, nearNextTier: 0, noContacts: 1 } });

    expect(await subjectsTo('later')).toEqual(['Congratulations: your new tier is Silver', `Keep your Silver tier: RUB 150,000.00 more by ${en(day(12))}`]);
    expect(await emailsTo('exact')).toHaveLength(2);
    expect((await status('lifted')).outlook).toEqual({ holdsUntil: addDays(D2, 89), toKeep: '150000.00', belowRetainSince: null, downgradeOn: addDays(D2, 90), downgradeTo: 'base' });
    expect(await emailsTo('lifted')).toHaveLength(2);
  });

  it('D3, the email queue gone while the run publishes (a real fault), then resumed: the second notice after the cool-down goes out once; republished after a crash before the outbox is cleared, still once', async () => {
    const stack = testStack();
    const sqs = new SQSClient({ endpoint: stack.endpoints.sqsEndpoint });
    const emailQueue = stack.queues.tierEmails;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: emailQueue.url, AttributeNames: ['All'] }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: emailQueue.url }));
    const { body } = await adminRequest(stack, 'POST', '/admin/recalculate', { asOf: D3 });
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    expect((await adminRequest(stack, 'GET', `/admin/runs/${body.runId}`)).body.status).toBe('running');
    // The notices stand recorded in their groups' outbox, not yet published.
    expect((await getGroupState(groups.exact.groupId))!.pendingNotices.map((notice) => notice.eventId)).toEqual([`${groups.exact.groupId}/${D3}/at-risk`]);
    await sqs.send(new CreateQueueCommand({ QueueName: emailQueue.url.split('/').pop()!, Attributes: { VisibilityTimeout: Attributes!.VisibilityTimeout!, RedrivePolicy: Attributes!.RedrivePolicy! } }));
    sqs.destroy();
    await resumeJob(body.runId);
    await drainQueue(stack, 'recalcTasks', recalcWorker);
    const run = (await adminRequest(stack, 'GET', `/admin/runs/${body.runId}`)).body;
    expect(run).toMatchObject({ status: 'succeeded', notices: { atRisk: 1, nearNextTier: 1, noContacts: 1 } });
    expect((await getGroupState(groups.exact.groupId))!.pendingNotices).toEqual([]);

    expect((await subjectsTo('exact')).slice(1)).toEqual([`Keep your Silver tier: RUB 150,000.00 more by ${en(day(11))}`, `Keep your Silver tier: RUB 150,000.00 more by ${en(day(11))}`]);
    expect(await emailsTo('near')).toHaveLength(3);
    expect(await emailsTo('lifted')).toHaveLength(2);

    // What a crash between publishing and clearing the outbox leaves: the notice still in the outbox. The
    // next run of the date publishes it again; the consumer has emailed its eventId and sends nothing.
    const state = (await getGroupState(groups.exact.groupId))!;
    await writeStates([{ ...state, pendingNotices: [noticeFor('at-risk', state, loadProgramConfig().tiers, D3)] }]);
    expect(await recalculate(stack, D3)).toMatchObject({ notices: { atRisk: 1, nearNextTier: 0 } });
    expect(await emailsTo('exact')).toHaveLength(3);
  });

  it('D4: the groups that bought nothing drop on downgradeOn as projected; the one that bought toKeep keeps its tier', async () => {
    const stack = testStack();
    expect(await recalculate(stack, D4)).toMatchObject({ changed: 2, down: 2 });
    expect((await status('exact')).tier.id).toBe('base');
    expect((await status('exact')).outlook).toEqual({ holdsUntil: null, toKeep: null, belowRetainSince: null, downgradeOn: null, downgradeTo: null });
    expect((await subjectsTo('exact')).at(-1)).toBe('Your tier has changed to Base');
    expect((await status('silent')).tier.id).toBe('base');
    expect((await status('lifted')).tier.id).toBe('silver');
    expect((await status('later')).tier.id).toBe('silver');
  });
});
