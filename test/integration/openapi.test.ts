import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { program } from '../../lib/config.js';
import { routeContracts } from '../../lib/http/api-contract.js';
import { routeKey, routes } from '../../lib/infra/routes.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { signWebhook } from '../../lib/http/signature.js';
import { testStack } from '../support/local-stack.js';
import { drainQueue } from '../support/queues.js';

type Operation = {
  security: Record<string, string[]>[];
  requestBody?: { content: { 'application/json': { schema: object } } };
  responses: Record<string, { content?: { 'application/json': { schema: object } } }>;
};
type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string }> };
};

let document: OpenApiDocument;
beforeAll(async () => {
  const response = await fetch(`${testStack().url}/openapi.json`);
  document = (await response.json()) as OpenApiDocument;
  if (response.status !== 200) {
    // The document is built from lib/http/api-contract.ts: a route without a contract makes GET /openapi.json fail.
    throw new Error(`GET /openapi.json answered ${response.status}; ${missingContracts().join(', ') || 'every route has a contract'}`);
  }
});

/** Routes of lib/infra/routes.ts that have no entry in lib/http/api-contract.ts. */
function missingContracts(): string[] {
  const contracts = routeContracts(program) as Record<string, unknown>;
  return routes.map(routeKey).filter((key) => !contracts[key]).map((key) => `${key} has no contract in lib/http/api-contract.ts`);
}

const documentedOperations = () =>
  Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
const servedRoutes = () => routes.map(routeKey);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

/** The documented answer schema of an operation for a status, its `$ref`s resolved against the document. */
function answerSchema(key: string, status: number): object {
  const [method, path] = key.split(' ') as [string, string];
  const answer = document.paths[path]?.[method.toLowerCase()]?.responses[String(status)];
  if (!answer?.content) throw new Error(`${key} documents no JSON answer for ${status}`);
  const schema = answer.content['application/json'].schema as { $ref?: string };
  return schema.$ref ? document.components.schemas[schema.$ref.split('/').pop()!]! : schema;
}

function answerHasNoBody(key: string, status: number): boolean {
  const [method, path] = key.split(' ') as [string, string];
  const answer = document.paths[path]?.[method.toLowerCase()]?.responses[String(status)];
  return answer !== undefined && answer.content === undefined;
}

/** Calls the local stack and checks the answer against what the document says that route answers with that status. */
async function expectDocumentedAnswer(key: string, init: RequestInit & { query?: string } = {}): Promise<{ status: number; body: any }> {
  const [method, template] = key.split(' ') as [string, string];
  const response = await fetch(`${testStack().url}${template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent((init as any)[name] ?? ''))}${init.query ?? ''}`, {
    ...init,
    method,
  });
  if (response.status === 204) {
    expect(answerHasNoBody(key, 204), `${key} documents a body for 204`).toBe(true);
    return { status: 204, body: undefined };
  }
  const body = await response.json();
  const validate = ajv.compile(answerSchema(key, response.status));
  expect(validate(body), `${key} → ${response.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`).toBe(true);
  return { status: response.status, body };
}

const signed = (body: string) => ({ 'content-type': 'application/json', 'x-signature': signWebhook(DEV_SECRETS.WEBHOOK_SECRET, body) });
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (checked against the OpenAPI 3.1 schema by @seriousme/openapi-schema-validator)', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every route that lib/infra/routes.ts serves, and nothing else', () => {
    expect(missingContracts(), 'declare each route\'s request and answers in lib/http/api-contract.ts').toEqual([]);
    const documented = new Set(documentedOperations());
    const served = new Set(servedRoutes());
    const undocumented = [...served].filter((key) => !documented.has(key));
    const unserved = [...documented].filter((key) => !served.has(key));
    expect(undocumented, `served but not in the document: add a contract in lib/http/api-contract.ts for ${undocumented.join(', ')}`).toEqual([]);
    expect(unserved, `in the document but not served by lib/infra/routes.ts: ${unserved.join(', ')}`).toEqual([]);
    expect(Object.keys(routeContracts(program)).sort(), 'lib/http/api-contract.ts must have exactly one entry per route').toEqual([...served].sort());
  });

  it('every documented operation is served by the local gateway and guarded as the document declares (401 without credentials, public answers 200)', async () => {
    for (const key of documentedOperations()) {
      const [method, template] = key.split(' ') as [string, string];
      const operation = document.paths[template]![method.toLowerCase()]!;
      const response = await fetch(`${testStack().url}${template.replace(/\{\w+\}/g, 'G-OPENAPI')}`, {
        method,
        ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
      });
      // The console page answers HTML; every other route answers JSON.
      const body = (response.headers.get('content-type')?.startsWith('application/json') ? await response.json() : { message: await response.text() }) as { error?: string; message?: string };
      expect(body.message ?? '', key).not.toMatch(/^No route for/);
      expect(response.status, key).toBe(operation.security.length === 0 ? 200 : 401);
    }
  });

  it('declares the signature scheme for the webhooks and the bearer schemes for the read and admin routes', () => {
    const schemes = document.components.securitySchemes;
    expect(schemes.webhookSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Signature' });
    expect(schemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const route of routes) {
      const expected = { signature: 'webhookSignature', api: 'apiToken', admin: 'adminToken', public: undefined }[route.auth];
      const security = document.paths[route.path]![route.method.toLowerCase()]!.security;
      expect(security.map((entry) => Object.keys(entry)[0]), routeKey(route)).toEqual(expected ? [expected] : []);
    }
  });
});

describe('the document matches what the API takes and answers', () => {
  it('the README fixtures are valid request bodies by the document, and the webhooks accept them with the documented 202 answer', async () => {
    for (const kind of ['groups', 'clients', 'orders', 'prices']) {
      const key = `POST /webhooks/${kind}`;
      const body = readFileSync(new URL(`../fixtures/webhooks/${kind}.json`, import.meta.url), 'utf8');
      const requestSchema = document.paths[`/webhooks/${kind}`]!.post!.requestBody!.content['application/json'].schema;
      const validate = ajv.compile(requestSchema);
      expect(validate(JSON.parse(body)), `${kind}.json: ${ajv.errorsText(validate.errors)}`).toBe(true);
      expect((await expectDocumentedAnswer(key, { headers: signed(body), body })).status).toBe(202);
    }
  });

  it('answers of the read and admin routes, a finished run included, have the documented shapes', async () => {
    const started = await expectDocumentedAnswer('POST /admin/recalculate', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), body: JSON.stringify({ asOf: '2026-11-22' }) });
    expect(started.status).toBe(202);
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
    const run = await expectDocumentedAnswer('GET /admin/runs/{runId}', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), runId: started.body.runId } as RequestInit);
    expect(run.body).toMatchObject({ status: 'succeeded', up: 1 });
    const api = { headers: bearer(DEV_SECRETS.API_TOKEN), groupId: 'G-7' } as RequestInit;
    expect((await expectDocumentedAnswer('GET /groups/{groupId}', api)).body.tier.id).toBe('silver');
    expect((await expectDocumentedAnswer('GET /groups/{groupId}/history', api)).body.changes).toHaveLength(1);
    const prices = await expectDocumentedAnswer('GET /groups/{groupId}/prices', { ...api, query: '?sku=VALVE-15&sku=UNKNOWN' });
    expect(prices.body.missing).toEqual(['UNKNOWN']);

    const admin = { headers: bearer(DEV_SECRETS.ADMIN_TOKEN) };
    const program = await expectDocumentedAnswer('GET /admin/program', admin);
    const stored = await expectDocumentedAnswer('PUT /admin/program', { ...admin, body: JSON.stringify({ effectiveFrom: '2026-12-01', program: program.body.program }) });
    expect(stored).toEqual({ status: 201, body: { version: program.body.version + 1, effectiveFrom: '2026-12-01' } });
    const floor = { ...admin, groupId: 'G-7' } as RequestInit;
    expect((await expectDocumentedAnswer('PUT /admin/groups/{groupId}/floor', { ...floor, body: '{"tierId":"gold","until":"2099-12-31"}' })).body).toMatchObject({ tierId: 'gold' });
    expect((await expectDocumentedAnswer('DELETE /admin/groups/{groupId}/floor', floor)).status).toBe(204);
  });

  it('answers of the simulation and report routes, finished ones included, have the documented shapes', async () => {
    const admin = { headers: bearer(DEV_SECRETS.ADMIN_TOKEN) };
    const program = (await expectDocumentedAnswer('GET /admin/program', admin)).body.program;
    const simulation = await expectDocumentedAnswer('POST /admin/simulations', { ...admin, body: JSON.stringify({ asOf: '2026-11-22', program }) });
    const report = await expectDocumentedAnswer('POST /admin/reports', { ...admin, body: JSON.stringify({ kind: 'dormant', asOf: '2026-11-22' }) });
    expect([simulation.status, report.status]).toEqual([202, 202]);
    const running = await expectDocumentedAnswer('GET /admin/simulations/{simulationId}', { ...admin, simulationId: simulation.body.simulationId } as RequestInit);
    expect(running.body).toMatchObject({ status: 'running', groups: null, tiers: null });
    await drainQueue(testStack(), 'recalcTasks', recalcWorker);
    const simulated = await expectDocumentedAnswer('GET /admin/simulations/{simulationId}', { ...admin, simulationId: simulation.body.simulationId } as RequestInit);
    expect(simulated.body).toMatchObject({ status: 'succeeded', moves: { up: 0, down: 0 }, movers: 0 }); // the candidate is the program itself
    expect((await expectDocumentedAnswer('GET /admin/simulations/{simulationId}/movers', { ...admin, simulationId: simulation.body.simulationId } as RequestInit)).body).toEqual([]);
    expect((await expectDocumentedAnswer('GET /admin/simulations', admin)).body.simulations).toHaveLength(1);
    const reported = await expectDocumentedAnswer('GET /admin/reports/{reportId}', { ...admin, reportId: report.body.reportId } as RequestInit);
    expect(reported.body).toMatchObject({ status: 'succeeded', kind: 'dormant' });
    const rows = await expectDocumentedAnswer('GET /admin/reports/{reportId}/rows', { ...admin, reportId: report.body.reportId } as RequestInit);
    expect(rows.body.length).toBe(reported.body.rows);
    expect((await expectDocumentedAnswer('GET /admin/reports', admin)).body.reports).toHaveLength(1);
  });

  it('refusals have the documented error shape and each is a status the route documents', async () => {
    const refusals: [string, RequestInit & { query?: string }, number][] = [
      ['POST /webhooks/orders', { headers: { 'content-type': 'application/json' }, body: '{"orders":[]}' }, 401],
      ['POST /webhooks/orders', { headers: signed('{"orders":[]}'), body: '{"orders":[]}' }, 422],
      ['POST /webhooks/groups', { headers: signed('{not json'), body: '{not json' }, 400],
      ['POST /webhooks/groups', { headers: { ...signed('{}'), 'content-type': 'text/plain' }, body: '{}' }, 415],
      ['GET /groups/{groupId}', { headers: bearer(DEV_SECRETS.API_TOKEN), groupId: 'G-NOBODY' } as RequestInit, 404],
      ['GET /groups/{groupId}/prices', { headers: bearer(DEV_SECRETS.API_TOKEN), groupId: 'G-7' } as RequestInit, 422],
      ['POST /admin/recalculate', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), body: '{"asOf":"2026-13-01"}' }, 422],
      ['GET /admin/runs/{runId}', { headers: bearer(DEV_SECRETS.API_TOKEN), runId: 'nope' } as RequestInit, 401],
      ['GET /admin/runs/{runId}', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), runId: 'nope' } as RequestInit, 404],
      ['PUT /admin/program', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), body: '{"effectiveFrom":"2027-01-01","program":{}}' }, 422],
      ['PUT /admin/groups/{groupId}/floor', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), groupId: 'G-7', body: '{"tierId":"gold","until":"2000-01-01"}' } as RequestInit, 422],
      ['POST /admin/simulations', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), body: '{"asOf":"2026-11-22","program":{}}' }, 422],
      ['GET /admin/simulations', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), query: '?cursor=bm9wZQ' }, 422],
      ['GET /admin/simulations/{simulationId}', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), simulationId: 'sim-2026-11-22-00000000' } as RequestInit, 404],
      ['GET /admin/simulations/{simulationId}/movers', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), simulationId: 'nope' } as RequestInit, 404],
      ['POST /admin/reports', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), body: '{"kind":"churn","asOf":"2026-11-22"}' }, 422],
      ['GET /admin/reports/{reportId}', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), reportId: 'dormant-2026-11-22-00000000' } as RequestInit, 404],
      ['GET /admin/reports/{reportId}/rows', { headers: bearer(DEV_SECRETS.ADMIN_TOKEN), reportId: 'dormant-2026-11-22-00000000', query: '?limit=0' } as RequestInit, 422],
    ];
    for (const [key, init, status] of refusals) expect((await expectDocumentedAnswer(key, init)).status, key).toBe(status);
    // A run left going (its tasks never delivered) holds the lease: another date is refused with 409.
    const admin = { headers: bearer(DEV_SECRETS.ADMIN_TOKEN) };
    expect((await expectDocumentedAnswer('POST /admin/recalculate', { ...admin, body: '{"asOf":"2026-11-23"}' })).status).toBe(202);
    expect((await expectDocumentedAnswer('POST /admin/recalculate', { ...admin, body: '{"asOf":"2026-11-24"}' })).status).toBe(409);
  });
});
