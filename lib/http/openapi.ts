/**
 * The OpenAPI 3.1 document of the HTTP API, generated from lib/infra/routes.ts (what is served, who may call
 * it) and lib/http/api-contract.ts (the zod schemas each route validates and answers with), through zod's
 * JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1).
 */
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import { routeKey, routes, type RouteDefinition } from '../infra/routes.js';
import type { ProgramConfig } from '../program/program-config.js';
import { ErrorBodySchema, routeContracts, type ErrorStatus, type RouteContract } from './api-contract.js';

type JsonSchema = Record<string, unknown>;

/**
 * A schema as OpenAPI 3.1 embeds it: the JSON as it travels, i.e. the input side of each schema (before
 * transforms, whose results are not JSON). A custom check without a description of its own in front of a
 * schema (ingest's "a JSON object, not a lossless number" guard before `z.object`) is documented as that schema.
 */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema: converted }) => {
      const { def } = zodSchema._zod;
      if (def.type === 'pipe') {
        const { in: guard, out } = def as z.core.$ZodPipeDef;
        if (guard._zod.def.type === 'custom' && !z.globalRegistry.has(guard)) Object.assign(converted, jsonSchema(out as z.ZodType));
      }
    },
  }) as JsonSchema;
  return rest;
}

const SECURITY_SCHEMES = {
  webhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Signature',
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256(WEBHOOK_SECRET, "<t>.<raw body>")>`. `t` must be within 300 s of the server clock; ' +
      'several `v1=` values may be sent during a secret rotation (one match is enough).',
  },
  apiToken: { type: 'http', scheme: 'bearer', description: 'The API token (`API_TOKEN`; in AWS `apiToken` of the stack secret).' },
  adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (`ADMIN_TOKEN`; in AWS `adminToken` of the stack secret).' },
} as const;

const SECURITY: Record<RouteDefinition['auth'], Record<string, string[]>[]> = {
  signature: [{ webhookSignature: [] }],
  api: [{ apiToken: [] }],
  admin: [{ adminToken: [] }],
  public: [],
};

const ERROR_RESPONSE = { $ref: '#/components/schemas/Error' };

function parameters(route: RouteDefinition, contract: RouteContract): JsonSchema[] {
  const pathSchema = contract.request?.path ? jsonSchema(contract.request.path) : undefined;
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: ((pathSchema?.properties as Record<string, JsonSchema> | undefined)?.[name!] ?? { type: 'string' }) as JsonSchema,
  }));
  const query = contract.request?.query ? jsonSchema(contract.request.query) : undefined;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  const queryParameters = Object.entries((query?.properties as Record<string, JsonSchema> | undefined) ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(schema.type === 'array' ? { style: 'form', explode: true } : {}),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    schema,
  }));
  return [...pathParameters, ...queryParameters];
}

function responses(contract: RouteContract): Record<string, JsonSchema> {
  const { success } = contract;
  const answers: Record<string, JsonSchema> = {
    [success.status]: {
      description: success.description,
      ...(success.body ? { content: { 'application/json': { schema: jsonSchema(success.body) } } } : {}),
    },
  };
  const refusals = { ...contract.errors, 500: '`internal_error`: a fault of ours; `requestId` finds it in the logs. Retry later.' } as Record<ErrorStatus, string>;
  for (const [status, when] of Object.entries(refusals)) {
    answers[status] = { description: when, content: { 'application/json': { schema: ERROR_RESPONSE } } };
  }
  return answers;
}

const camelCase = (name: string) => name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());

/** The OpenAPI document of every served route; `serverUrl` (the origin the request came to) becomes its server. */
export function openApiDocument(program: ProgramConfig, serverUrl?: string): JsonSchema {
  const contracts: Record<string, RouteContract> = routeContracts(program);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const contract = contracts[routeKey(route)];
    if (!contract) throw new Error(`${routeKey(route)} has no contract in lib/http/api-contract.ts`);
    const body = contract.request?.body;
    const segment = route.path.split('/')[1] ?? '';
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: camelCase(route.functionName),
      summary: contract.summary,
      ...(contract.description ? { description: contract.description } : {}),
      tags: [segment.includes('.') ? 'api' : segment],
      security: SECURITY[route.auth],
      parameters: parameters(route, contract),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } } : {}),
      responses: responses(contract),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Wholesale tier program engine',
      version: packageJson.version,
      description:
        'ERP webhooks, group status and prices, and admin recalculation. Money is a decimal string with two decimals, ' +
        `stored in integer minor units; program currency ${program.currency}, time zone ${program.timeZone}.`,
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: { schemas: { Error: jsonSchema(ErrorBodySchema) }, securitySchemes: SECURITY_SCHEMES },
  };
}
