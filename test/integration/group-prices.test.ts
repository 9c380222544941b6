import { beforeAll, describe, expect, it } from 'vitest';
import { writeStates } from '../../lib/adapters/dynamodb/group-state.js';
import { NO_OUTLOOK } from '../../lib/domain/outlook.js';
import { ingestGroups } from '../../lib/use-cases/ingest.js';
import { uniqueId } from '../support/fixtures.js';
import { getJson, postWebhook, testStack } from '../support/local-stack.js';

const bronzeGroup = uniqueId('G');
const newGroup = uniqueId('G');
const skus = { valve: uniqueId('SKU'), pipe: uniqueId('SKU'), commaInName: `${uniqueId('SKU')},B` };

beforeAll(async () => {
  await ingestGroups([
    { groupId: bronzeGroup, name: 'ГК Ромашка', contacts: [], locale: 'ru', version: 1 },
    { groupId: newGroup, name: 'New group', contacts: [], locale: 'en', version: 1 },
  ]);
  await writeStates([{ groupId: bronzeGroup, sum: 5_000_000n, qualifyingSum: 5_000_000n, tierId: 'bronze', tierSince: '2026-11-21', belowRetainSince: null, appliedAsOf: '2026-11-21', changeCount: 1, pending: [], outlook: NO_OUTLOOK, noticedOn: {}, pendingNotices: [] }]);
  const posted = await postWebhook(testStack(), 'prices', {
    prices: [
      { sku: skus.valve, brand: 'Grohe', price: '12.25', version: 1 },
      { sku: skus.pipe, brand: 'Rehau', price: 175000, version: 1 },
      { sku: skus.commaInName, brand: 'Rehau', price: '0.50', version: 1 },
    ],
  });
  expect(posted.status).toBe(202);
});

const pricesPath = (groupId: string, query: string[]) => `/groups/${groupId}/prices?${query.map((sku) => `sku=${encodeURIComponent(sku)}`).join('&')}`;

describe('GET /groups/{groupId}/prices', () => {
  it('applies the tier discount in integer kopecks rounded half-up (1225 at 2% is "12.01") and lists unknown SKUs as missing', async () => {
    const missingSku = uniqueId('SKU');

    const { status, body } = await getJson(testStack(), pricesPath(bronzeGroup, [skus.valve, missingSku, skus.pipe, skus.commaInName, skus.valve]));

    expect(status).toBe(200);
    expect(body).toEqual({
      groupId: bronzeGroup,
      tierId: 'bronze',
      discountPercent: 2,
      prices: [
        { sku: skus.valve, basePrice: '12.25', price: '12.01' },
        { sku: skus.pipe, basePrice: '175000.00', price: '171500.00' },
        { sku: skus.commaInName, basePrice: '0.50', price: '0.49' },
      ],
      missing: [missingSku],
    });
  });

  it('a group no run has evaluated buys at base prices in the base tier', async () => {
    const { status, body } = await getJson(testStack(), pricesPath(newGroup, [skus.valve]));

    expect(status).toBe(200);
    expect(body).toMatchObject({ tierId: 'base', discountPercent: 0, prices: [{ sku: skus.valve, basePrice: '12.25', price: '12.25' }], missing: [] });
  });

  it('answers 422 naming the sku parameter when no SKU or more than 100 SKUs are asked for', async () => {
    const none = await getJson(testStack(), `/groups/${bronzeGroup}/prices`);
    const tooMany = await getJson(testStack(), pricesPath(bronzeGroup, Array.from({ length: 101 }, (_, i) => `SKU-${i}`)));

    for (const answer of [none, tooMany]) {
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ error: 'validation_failed', issues: [{ path: 'sku', message: 'give 1 to 100 sku parameters' }] });
    }
  });

  it('answers 404 for an unknown group and 401 without the API token', async () => {
    expect((await getJson(testStack(), pricesPath(uniqueId('G'), [skus.valve]))).status).toBe(404);
    expect((await getJson(testStack(), pricesPath(bronzeGroup, [skus.valve]), null)).status).toBe(401);
  });
});
