/**
 * The contract of every route of lib/infra/routes.ts, keyed by `METHOD /path`: what it takes (the same zod
 * schemas its handler validates with), what it answers and which refusals it can give. The OpenAPI document
 * (lib/http/openapi.ts) is generated from this registry alone.
 *
 * Adding a route: add it to lib/infra/routes.ts, then its entry here. Until then `npm run typecheck` fails
 * (the registry must have exactly the keys of the routes) and so does test/integration/openapi.test.ts.
 */
import { z } from 'zod';
import {
  GroupHistorySchema,
  GroupPricesSchema,
  GroupStatusSchema,
  IngestOutcomeSchema,
  PricesQuerySchema,
  RecalculateRequestSchema,
  RecalculationStartedSchema,
  RunViewSchema,
} from '../api-schemas.js';
import type { RouteKey } from '../infra/routes.js';
import { webhookSchemas } from '../ingest/schemas.js';
import type { ProgramConfig } from '../program/program-config.js';

/** The one shape of every refusal (lib/http/errors.ts builds them). */
export const ErrorBodySchema = z.object({
  error: z.string().meta({ description: 'Stable error code, e.g. validation_failed', examples: ['validation_failed'] }),
  message: z.string(),
  issues: z
    .array(z.object({ path: z.string().meta({ examples: ['orders[3].amount'] }), index: z.number().int().min(0).optional(), message: z.string() }))
    .meta({ description: 'On 422: each bad field, with its index in the batch' }),
  requestId: z.string().optional().meta({ description: 'On 500 only: the request id to look for in the logs' }),
});

/** The HTTP statuses of refusals, each with the `error` code it carries. */
export const ERROR_CODES = {
  400: 'malformed_json',
  401: 'unauthorized',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  500: 'internal_error',
} as const;
export type ErrorStatus = keyof typeof ERROR_CODES;

/** What one route takes and answers. */
export interface RouteContract {
  readonly summary: string;
  readonly description?: string;
  readonly request?: {
    /** The JSON body, as the handler validates it. */
    readonly body?: z.ZodType;
    /** Query parameters, as the handler validates them. */
    readonly query?: z.ZodObject;
    /** Path parameters; absent, each `{name}` of the path is a string. */
    readonly path?: z.ZodObject;
  };
  /** The answer when all goes well. */
  readonly success: { readonly status: 200 | 201 | 202 | 204; readonly description: string; readonly body?: z.ZodType };
  /** The refusals this route gives, each with when it gives it (every route may also answer 500). */
  readonly errors: Partial<Record<Exclude<ErrorStatus, 500>, string>>;
}

const SIGNED_WEBHOOK_ERRORS = {
  400: 'The body is not JSON; nothing was stored',
  401: 'X-Signature is missing, malformed, more than 300 s from the server clock, or wrong; the body was not read',
  413: 'The body is over 1 MiB (1,048,576 bytes); refused before it is read',
  415: 'Content-Type is not application/json',
  422: 'An item breaks the schema; `issues` names each bad field with its batch index; nothing of the batch was stored',
} as const;

const groupRead = (what: string) => ({ 401: 'Bearer token missing or not the API token', 404: `Unknown group: ${what}` });

/** Every route's contract; `satisfies` makes a route without one (or an entry without a route) a type error. */
export function routeContracts(program: ProgramConfig) {
  const webhooks = webhookSchemas(program);
  const webhook = (kind: keyof typeof webhooks, summary: string, description: string): RouteContract => ({
    summary,
    description: `${description} A batch holds 1 to 500 items and is all-or-nothing; an item whose \`version\` is not higher than the stored one changes nothing (counted as unchanged).`,
    request: { body: webhooks[kind] },
    success: { status: 202, description: 'Stored: how many items changed the store and how many were not newer', body: IngestOutcomeSchema },
    errors: SIGNED_WEBHOOK_ERRORS,
  });
  return {
    'POST /webhooks/orders': webhook(
      'orders',
      'ERP orders',
      `Each order in its full current state. Amounts in ${program.currency} units (at most 2 decimals); \`date\` is a business date or an ISO-8601 date-time, converted to the business date in ${program.timeZone}.`,
    ),
    'POST /webhooks/clients': webhook('clients', 'ERP counterparties (clients)', 'A client without `groupId` is a group of its own.'),
    'POST /webhooks/groups': webhook('groups', 'ERP groups of companies', 'Contacts receive the tier emails, in the group locale.'),
    'POST /webhooks/prices': webhook('prices', 'ERP base wholesale prices', `Prices in ${program.currency} units.`),
    'GET /groups/{groupId}': {
      summary: "A group's status",
      description: 'Members now, the 90-day sum and tier as the last run left them, and what buys the next tier. Before any run `asOf` is null and the tier is the base tier.',
      success: { status: 200, description: 'The group status', body: GroupStatusSchema },
      errors: groupRead('neither master data nor a run knows it'),
    },
    'GET /groups/{groupId}/history': {
      summary: "A group's tier changes, newest first",
      success: { status: 200, description: 'The tier changes', body: GroupHistorySchema },
      errors: groupRead('neither master data nor a run knows it'),
    },
    'GET /groups/{groupId}/prices': {
      summary: "A group's prices for some SKUs",
      description: 'Base prices with the group discount applied in integer kopecks, rounded half-up; SKUs without a base price are listed in `missing`.',
      request: { query: PricesQuerySchema },
      success: { status: 200, description: 'The prices', body: GroupPricesSchema },
      errors: { ...groupRead('neither master data nor a run knows it'), 422: 'No `sku` parameter, more than 100, or an empty or over-long one' },
    },
    'POST /admin/recalculate': {
      summary: 'Start a recalculation as of a date',
      description: 'One run at a time. Asking for the date of the run in progress answers with that run (`alreadyRunning: true`).',
      request: { body: RecalculateRequestSchema },
      success: { status: 202, description: 'The run started (or the one already running for this date)', body: RecalculationStartedSchema },
      errors: {
        400: 'The body is not JSON',
        401: 'Bearer token missing or not the admin token',
        409: 'A run for another as-of date is in progress; no run was started',
        413: 'The body is over 1 MiB',
        415: 'Content-Type is not application/json',
        422: '`asOf` is not a business date YYYY-MM-DD; no run was started',
      },
    },
    'GET /admin/runs/{runId}': {
      summary: "A run's status, counts and progress",
      success: { status: 200, description: 'The run', body: RunViewSchema },
      errors: { 401: 'Bearer token missing or not the admin token', 404: 'Unknown run' },
    },
    'GET /openapi.json': {
      summary: 'This document',
      description: 'OpenAPI 3.1, generated from the schemas the handlers validate with. Public: it holds no data.',
      success: { status: 200, description: 'The OpenAPI document', body: z.looseObject({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }) },
      errors: {},
    },
  } satisfies Record<RouteKey, RouteContract>;
}
