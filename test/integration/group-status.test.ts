import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';

/** GET /groups/{groupId} (§3.1) before any nightly run: membership by current master data, base tier. */

const fixture = (kind: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${kind}.json`, import.meta.url), 'utf8'));

async function send(kind: string, body: unknown): Promise<void> {
  const response = await postWebhook(testStack(), kind, body);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
}

describe('GET /groups/{groupId}', () => {
  it('before any run: the group, its members, asOf null, a zero sum, the base tier, 50,000.00 to bronze and an empty outlook', async () => {
    await send('groups', fixture('groups'));
    await send('clients', fixture('clients'));
    await send('orders', fixture('orders'));
    const response = await getJson(testStack(), '/groups/G-7');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      groupId: 'G-7',
      name: 'ГК Ромашка',
      members: ['C-42', 'C-43'],
      asOf: null,
      sum90d: '0.00',
      qualifyingSum90d: '0.00',
      tier: { id: 'base', name: 'Базовый', discountPercent: 0, benefits: [], benefitCodes: [] },
      tierSince: null,
      nextTier: { id: 'bronze', threshold: '50000.00', remaining: '50000.00' },
      floor: null,
      outlook: { holdsUntil: null, toKeep: null, belowRetainSince: null, downgradeOn: null, downgradeTo: null },
    });
  });

  it("names the tier in the group's locale", async () => {
    await send('groups', { groups: [{ groupId: 'G-EN', name: 'English group', locale: 'en', version: 1 }] });
    const response = await getJson(testStack(), '/groups/G-EN');
    expect(response.body.tier).toEqual({ id: 'base', name: 'Base', discountPercent: 0, benefits: [], benefitCodes: [] });
  });

  it("a client moved to another group by a higher version leaves the old group's members and joins the new one", async () => {
    await send('groups', { groups: [{ groupId: 'G-FROM', name: 'From', version: 1 }, { groupId: 'G-TO', name: 'To', version: 1 }] });
    await send('clients', {
      clients: [
        { clientId: 'M-1', name: 'Mover', groupId: 'G-FROM', version: 1 },
        { clientId: 'M-2', name: 'Stayer', groupId: 'G-FROM', version: 1 },
      ],
    });
    expect((await getJson(testStack(), '/groups/G-FROM')).body.members).toEqual(['M-1', 'M-2']);

    await send('clients', { clients: [{ clientId: 'M-1', name: 'Mover', groupId: 'G-TO', version: 2 }] });
    expect((await getJson(testStack(), '/groups/G-FROM')).body.members).toEqual(['M-2']);
    expect((await getJson(testStack(), '/groups/G-TO')).body.members).toEqual(['M-1']);
  });

  it('a late, lower version of a client does not move it back', async () => {
    await send('clients', { clients: [{ clientId: 'L-1', name: 'Late', groupId: 'G-NOW', version: 5 }] });
    await send('clients', { clients: [{ clientId: 'L-1', name: 'Late', groupId: 'G-BEFORE', version: 4 }] });
    expect((await getJson(testStack(), '/groups/G-NOW')).body.members).toEqual(['L-1']);
    expect((await getJson(testStack(), '/groups/G-BEFORE')).status).toBe(404);
  });

  it('a client with no group is a group of its own under its clientId', async () => {
    await send('clients', { clients: [{ clientId: 'SOLO-1', name: 'ИП Соло', email: 'solo@example.com', version: 1 }] });
    const response = await getJson(testStack(), '/groups/SOLO-1');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ groupId: 'SOLO-1', name: 'ИП Соло', members: ['SOLO-1'], asOf: null, sum90d: '0.00', tier: { id: 'base' } });
  });

  it('a client that leaves its group becomes a group of its own and leaves the old members', async () => {
    await send('clients', {
      clients: [
        { clientId: 'LEAVE-1', name: 'Leaver', groupId: 'G-LEFT', version: 1 },
        { clientId: 'LEAVE-2', name: 'Remaining', groupId: 'G-LEFT', version: 1 },
      ],
    });
    await send('clients', { clients: [{ clientId: 'LEAVE-1', name: 'Leaver', groupId: null, version: 2 }] });
    expect((await getJson(testStack(), '/groups/G-LEFT')).body.members).toEqual(['LEAVE-2']);
    expect((await getJson(testStack(), '/groups/LEAVE-1')).body).toMatchObject({ groupId: 'LEAVE-1', members: ['LEAVE-1'] });
  });

  it('a client inside a group is not a group of its own', async () => {
    await send('clients', { clients: [{ clientId: 'MEMBER-1', name: 'Member', groupId: 'G-HAS-MEMBER', version: 1 }] });
    expect((await getJson(testStack(), '/groups/MEMBER-1')).status).toBe(404);
  });

  it('a group named by its clients is known before its own master record arrives', async () => {
    await send('clients', { clients: [{ clientId: 'EARLY-1', name: 'Early', groupId: 'G-NO-RECORD-YET', version: 1 }] });
    expect((await getJson(testStack(), '/groups/G-NO-RECORD-YET')).body).toMatchObject({ groupId: 'G-NO-RECORD-YET', members: ['EARLY-1'] });
  });

  it('a group with a record and no members yet has an empty member list', async () => {
    await send('groups', { groups: [{ groupId: 'G-EMPTY', name: 'Empty', version: 1 }] });
    expect((await getJson(testStack(), '/groups/G-EMPTY')).body).toMatchObject({ name: 'Empty', members: [] });
  });

  it('an unknown group is 404', async () => {
    const response = await getJson(testStack(), '/groups/G-UNKNOWN');
    expect(response).toEqual({ status: 404, body: { error: 'not_found', message: expect.stringContaining('G-UNKNOWN'), issues: [] } });
  });
});
