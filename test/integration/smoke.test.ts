import { describe, expect, it } from 'vitest';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';

describe('local stack', () => {
  it('stores a signed group webhook and serves it back through GET /groups/{id}', async () => {
    const stack = testStack();
    const posted = await postWebhook(stack, 'groups', { groups: [{ groupId: 'G-1', name: 'Group one', version: 1 }] });
    expect(posted).toEqual({ status: 202, body: { accepted: 1, unchanged: 0 } });
    const read = await getJson(stack, '/groups/G-1');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ groupId: 'G-1', name: 'Group one', members: [], asOf: null, tier: { id: 'base' } });
  });
});
