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
  FloorRequestSchema,
  GroupFloorSchema,
  GroupHistorySchema,
  GroupPathSchema,
  GroupPricesSchema,
  GroupStatusSchema,
  IngestOutcomeSchema,
  PricesQuerySchema,
  ProgramDescriptionSchema,
  ProgramVersionRequestSchema,
  ProgramVersionStoredSchema,
  DeliveriesQuerySchema,
  OwedDeliveriesSchema,
  QueuePathSchema,
  RecalculateRequestSchema,
  RecalculationStartedSchema,
  RedriveSchema,
  ResetAppliedDateRequestSchema,
  ResetAppliedDateSchema,
  RunChangesQuerySchema,
  RunChangesSchema,
  RunListSchema,
  RunResumedSchema,
  RunViewSchema,
  SweepRequestSchema,
  SweepResultSchema,
  DormantRowSchema,
  ListQuerySchema,
  MoverSchema,
  ReportListSchema,
  ReportPathSchema,
  ReportRequestSchema,
  ReportStartedSchema,
  ReportViewSchema,
  ResultRowsQuerySchema,
  SimulationListSchema,
  SimulationPathSchema,
  SimulationRequestSchema,
  SimulationStartedSchema,
  SimulationViewSchema,
} from '../api-schemas.js';
import type { RouteKey } from '../infra/routes.js';
import { webhookSchemas } from '../ingest/schemas.js';
import type { ProgramConfig } from '../program/program-config.js';
import { RunId } from '../jobs/recalculation/runs.js';
import { storedForms } from '../use-cases/ingest.js';

/** The one shape of every refusal (lib/http/errors.ts builds them). */
export const ErrorBodySchema = z.object({
  error: z.string().meta({ description: 'Stable error code, e.g. validation_failed', examples: ['validation_failed'] }),
  message: z.string(),
  issues: z
    .array(z.object({ path: z.string().meta({ examples: ['orders[3].amount'] }), index: z.number().int().min(0).optional(), message: z.string() }))
    .meta({ description: 'On 422: each bad field, with its index in the batch' }),
  requestId: z.string().optional().meta({ description: 'On 500 only: the request id to look for in the logs' }),
});

/** The HTTP statuses a route can refuse with (each refusal's `error` code is named in its description). */
export type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 422 | 500;

/** What one route takes and answers. */
export interface RouteContract {
  readonly summary: string;
  readonly description?: string;
  readonly request?: {
    /** The JSON body, as the handler validates it. */
    readonly body?: z.ZodType;
    /** Query parameters, as the handler validates them. */
    readonly query?: z.ZodObject;
    /** Path parameters, as the handler checks them; absent, each `{name}` of the path is a string. */
    readonly path?: z.ZodObject;
  };
  /** The answer when all goes well. */
  readonly success: { readonly status: 200 | 201 | 202 | 204; readonly description: string; readonly body?: z.ZodType };
  /** The refusals this route gives: `error` code(s) and when (every route may also answer 500). */
  readonly errors: Partial<Record<Exclude<ErrorStatus, 500>, string>>;
}

const JSON_BODY_ERRORS = {
  400: '`malformed_json`: the body is not JSON, or JSON this API refuses (a duplicate key, a lone surrogate, nesting over 32 levels); `invalid_utf8`: the body is not UTF-8',
  413: '`payload_too_large`: the body is over 1 MiB (1,048,576 bytes); refused before it is read',
  415: '`unsupported_media_type`: Content-Type is not application/json (or application/*+json), or names a charset other than UTF-8',
} as const;

const SIGNED_WEBHOOK_ERRORS = {
  ...JSON_BODY_ERRORS,
  401: '`unauthorized`: X-Signature is missing, malformed, more than 300 s from the server clock, or wrong; the body was not read',
  422: '`validation_failed`: an item breaks the schema or would not fit one stored item; `issues` names each bad field with its batch index; nothing of the batch was stored',
} as const;

const API_TOKEN = { 401: '`unauthorized`: bearer token missing or not the API token' } as const;
const ADMIN_TOKEN = { 401: '`unauthorized`: bearer token missing or not the admin token' } as const;
const ID_IN_PATH = (what: string) => ({
  400: '`malformed_path`: the path parameter has malformed percent-encoding',
  404: `\`not_found\`: no ${what} has this id (an id that breaks the id rules is refused before anything is read)`,
});

/** Every route's contract; `satisfies` makes a route without one (or an entry without a route) a type error. */
export function routeContracts(program: ProgramConfig) {
  const webhooks = webhookSchemas(program, storedForms);
  const webhook = (kind: keyof typeof webhooks, summary: string, description: string): RouteContract => ({
    summary,
    description: `${description} A batch holds 1 to 500 items and is all-or-nothing; an item whose \`version\` is not higher than the stored one changes nothing (counted as unchanged).`,
    request: { body: webhooks[kind] },
    success: { status: 202, description: 'Stored: how many items changed the store and how many were not newer', body: IngestOutcomeSchema },
    errors: SIGNED_WEBHOOK_ERRORS,
  });
  const groupPath = { path: GroupPathSchema };
  const runPath = z.object({ runId: RunId });
  return {
    'POST /webhooks/orders': webhook(
      'orders',
      'ERP orders',
      `Each order in its full current state. Amounts in ${program.currency} units; \`date\` is a business date or an ISO-8601 date-time with offset, converted to the business date in ${program.timeZone}.`,
    ),
    'POST /webhooks/clients': webhook('clients', 'ERP counterparties (clients)', 'A client without `groupId` is a group of its own.'),
    'POST /webhooks/groups': webhook('groups', 'ERP groups of companies', 'Contacts receive the tier emails, in the group locale.'),
    'POST /webhooks/prices': webhook('prices', 'ERP base wholesale prices', `Prices in ${program.currency} units.`),
    'GET /groups/{groupId}': {
      summary: "A group's status",
      description:
        'Members now, the 90-day sums and the tier as the last run left them, described by the program version in effect at that date, and what buys the next tier. Before any run `asOf` is null and the tier is the base tier.',
      request: groupPath,
      success: { status: 200, description: 'The group status', body: GroupStatusSchema },
      errors: { ...API_TOKEN, ...ID_IN_PATH('group') },
    },
    'GET /groups/{groupId}/history': {
      summary: "A group's tier changes, newest first",
      request: groupPath,
      success: { status: 200, description: 'The tier changes', body: GroupHistorySchema },
      errors: { ...API_TOKEN, ...ID_IN_PATH('group') },
    },
    'GET /groups/{groupId}/prices': {
      summary: "A group's prices for some SKUs",
      description: 'Base prices with the group discount applied in integer kopecks, rounded half-up; SKUs without a base price are listed in `missing`.',
      request: { ...groupPath, query: PricesQuerySchema },
      success: { status: 200, description: 'The prices', body: GroupPricesSchema },
      errors: { ...API_TOKEN, ...ID_IN_PATH('group'), 422: '`validation_failed`: no `sku` parameter, more than 100, or an empty or over-long one' },
    },
    'POST /admin/recalculate': {
      summary: 'Start a recalculation as of a date',
      description: 'One run at a time. Asking for the date of the run in progress answers with that run (`alreadyRunning: true`).',
      request: { body: RecalculateRequestSchema },
      success: { status: 202, description: 'The run started (or the one already running for this date)', body: RecalculationStartedSchema },
      errors: {
        ...JSON_BODY_ERRORS,
        ...ADMIN_TOKEN,
        409: '`conflict`: a run for another as-of date is in progress (the message names it and its resume route); no run was started',
        422: '`validation_failed`: `asOf` is not a business date YYYY-MM-DD, or is after today in the program time zone; no run was started',
      },
    },
    'GET /admin/runs': {
      summary: 'Runs, newest first',
      request: { query: ListQuerySchema },
      success: { status: 200, description: 'A page of runs; `next` is the cursor of the next page', body: RunListSchema },
      errors: { ...ADMIN_TOKEN, 422: '`validation_failed`: `limit` not 1 to 100, or a `cursor` this listing did not hand out' },
    },
    'GET /admin/runs/{runId}': {
      summary: "A run's status, counts, progress, phase durations and the tiers after it",
      request: { path: runPath },
      success: { status: 200, description: 'The run', body: RunViewSchema },
      errors: { ...ADMIN_TOKEN, ...ID_IN_PATH('run') },
    },
    'GET /admin/runs/{runId}/changes': {
      summary: 'The tier changes a run made',
      description: 'Group, from, to, sums and reason of each change, by group. `?format=csv` answers the same rows as text/csv with a header row.',
      request: { path: runPath, query: RunChangesQuerySchema },
      success: { status: 200, description: 'The changes (JSON; text/csv with format=csv)', body: RunChangesSchema },
      errors: { ...ADMIN_TOKEN, ...ID_IN_PATH('run'), 422: '`validation_failed`: `format` is not json or csv' },
    },
    'POST /admin/runs/{runId}/resume': {
      summary: 'Resume a stuck run now',
      description: 'Queues the unfinished shard tasks of the run\'s current phase again. Idempotent and safe while tasks are still in flight: a shard done twice changes nothing.',
      request: { path: runPath },
      success: { status: 202, description: 'Queued again', body: RunResumedSchema },
      errors: { ...ADMIN_TOKEN, ...ID_IN_PATH('run'), 409: '`conflict`: the run has finished (succeeded or failed); nothing was queued' },
    },
    'GET /admin/deliveries': {
      summary: 'Deliveries still owed',
      description: 'Every published tier change is owed to the email and the price-list consumers, every notice to the email consumer, until each has recorded it (the delivery ledger).',
      request: { query: DeliveriesQuerySchema },
      success: { status: 200, description: 'How many are owed, and the oldest of them', body: OwedDeliveriesSchema },
      errors: { ...ADMIN_TOKEN, 422: '`validation_failed`: `state` other than owed, or `limit` not 1 to 1000' },
    },
    'POST /admin/deliveries/sweep': {
      summary: 'Publish owed deliveries again',
      description: 'To the channels that still owe them, for those last published more than `olderThanMinutes` ago. Consumers dedupe by eventId. The body is optional.',
      request: { body: SweepRequestSchema },
      success: { status: 200, description: 'What the sweep published again', body: SweepResultSchema },
      errors: { ...JSON_BODY_ERRORS, ...ADMIN_TOKEN, 422: '`validation_failed`: `olderThanMinutes` not a number from 0 to 43200; nothing was published' },
    },
    'POST /admin/queues/{queue}/redrive': {
      summary: "Move a queue's dead letters back to it",
      description: 'An SQS message move task from the dead-letter queue to the queue. While one is running, answers 200 with it instead of starting another.',
      request: { path: QueuePathSchema },
      success: { status: 202, description: 'The move started', body: RedriveSchema },
      errors: { ...ADMIN_TOKEN, 404: '`not_found`: no such queue (the message names the queues)' },
    },
    'GET /admin/queues/{queue}/redrive': {
      summary: "How the latest move of a queue's dead letters stands",
      request: { path: QueuePathSchema },
      success: { status: 200, description: 'The latest move, and how many messages are in the dead-letter queue', body: RedriveSchema },
      errors: { ...ADMIN_TOKEN, 404: '`not_found`: no such queue (the message names the queues)' },
    },
    'POST /admin/repair/applied-date': {
      summary: 'Set groups evaluated at a wrong (later) date back to a date',
      description: 'Then run that date again: the groups are evaluated from where they stood before, and what that changes is recorded and sent.',
      request: { body: ResetAppliedDateRequestSchema },
      success: { status: 200, description: 'How many groups and shards were set back', body: ResetAppliedDateSchema },
      errors: {
        ...JSON_BODY_ERRORS,
        ...ADMIN_TOKEN,
        409: '`conflict`: a run is in progress; nothing was reset',
        422: '`validation_failed`: `asOf` not a business date or after today, or bad `groupIds`; nothing was reset',
      },
    },
    'GET /admin/program': {
      summary: 'The program version in effect today, and every version',
      description: 'The deployed program is version 1, effective from 0001-01-01, until a run or a PUT stores it (`createdAt` null until then).',
      success: { status: 200, description: 'The program in effect and the versions, newest first', body: ProgramDescriptionSchema },
      errors: ADMIN_TOKEN,
    },
    'PUT /admin/program': {
      summary: 'Store a new program version',
      description: "Effective from a business date after the as-of date of every run so far. The currency, time zone, default locale and base tier id stay the deployment's.",
      request: { body: ProgramVersionRequestSchema },
      success: { status: 201, description: 'The version stored', body: ProgramVersionStoredSchema },
      errors: {
        ...JSON_BODY_ERRORS,
        ...ADMIN_TOKEN,
        409: '`conflict`: `effectiveFrom` is on or before the as-of date of a run; no version was stored',
        422: '`validation_failed`: each bad field by its path (`program.tiers[2].threshold`); no version was stored',
      },
    },
    'PUT /admin/groups/{groupId}/floor': {
      summary: "Set a group's tier floor",
      description: 'While the as-of date is on or before `until`, the group is at least in the floor tier; the next run applies it.',
      request: { ...groupPath, body: FloorRequestSchema },
      success: { status: 200, description: 'The floor as stored', body: GroupFloorSchema },
      errors: {
        ...JSON_BODY_ERRORS,
        ...ADMIN_TOKEN,
        ...ID_IN_PATH('group'),
        400: `${JSON_BODY_ERRORS[400]}; ${ID_IN_PATH('group')[400]}`,
        422: '`validation_failed`: a tier that a version in effect up to `until` lacks, or an `until` in the past; the floor was not changed',
      },
    },
    'DELETE /admin/groups/{groupId}/floor': {
      summary: "Remove a group's tier floor",
      request: groupPath,
      success: { status: 204, description: 'Removed (also when the group had none); the next run applies the normal rules' },
      errors: { ...ADMIN_TOKEN, ...ID_IN_PATH('group') },
    },
    'GET /admin/overview': {
      summary: "The console's first screen: tier distribution and discount cost of the latest succeeded run, and the latest runs",
      success: {
        status: 200,
        description: 'The overview (`asOf` and `runId` null before any run succeeded)',
        body: z.object({
          asOf: z.iso.date().nullable(),
          runId: z.string().nullable(),
          currency: z.string(),
          locale: z.string(),
          tiers: z.array(
            z.object({
              id: z.string(),
              name: z.object({ ru: z.string(), en: z.string() }),
              discountPercent: z.number(),
              groups: z.number().int(),
              sum90d: z.string(),
              discountCost: z.string(),
            }),
          ),
          discountCost: z.string(),
          runs: z.array(z.object({ runId: z.string(), asOf: z.iso.date(), status: z.string(), groups: z.number().int(), changed: z.number().int(), up: z.number().int(), down: z.number().int(), startedAt: z.string(), finishedAt: z.string().nullable() })),
        }),
      },
      errors: ADMIN_TOKEN,
    },
    'POST /admin/simulations': {
      summary: 'Simulate a candidate program on the live base',
      description:
        'Reads the data as a run for D would and puts every group with a purchase in the window or a floor in force in a tier by the program in effect at D and by the candidate (entry thresholds and floors, no countdowns). Writes no group state, records no change, sends nothing, takes no lease.',
      request: { body: SimulationRequestSchema },
      success: { status: 202, description: 'The simulation started', body: SimulationStartedSchema },
      errors: {
        ...JSON_BODY_ERRORS,
        ...ADMIN_TOKEN,
        422: '`validation_failed`: each bad field by its path (`program.tiers[2].threshold`, `asOf` after today); nothing was started',
      },
    },
    'GET /admin/simulations': {
      summary: 'Simulations, newest first',
      request: { query: ListQuerySchema },
      success: { status: 200, description: 'A page of simulations; `next` is the cursor of the following page (null on the last)', body: SimulationListSchema },
      errors: { ...ADMIN_TOKEN, 422: '`validation_failed`: a bad `limit`, or a `cursor` this listing did not hand out' },
    },
    'GET /admin/simulations/{simulationId}': {
      summary: "A simulation's status and, once it has succeeded, its tier table, moves and discount cost",
      description: 'A simulation whose tasks were lost (no progress for 10 minutes) is resumed when read, and failed with the reason after three resumes.',
      request: { path: SimulationPathSchema },
      success: { status: 200, description: 'The simulation (its numbers null until it has succeeded)', body: SimulationViewSchema },
      errors: { ...ADMIN_TOKEN, ...ID_IN_PATH('simulation') },
    },
    'GET /admin/simulations/{simulationId}/movers': {
      summary: 'The groups whose tier the candidate changes, largest sum first',
      description:
        'JSON, or `?format=csv` (text/csv, a header row, RFC 4180 quoting). At most 10,000 rows per answer: the total is in `x-total-count`, the next page in a `link: <…>; rel="next"` header.',
      request: { path: SimulationPathSchema, query: ResultRowsQuerySchema },
      success: { status: 200, description: 'A page of movers', body: z.array(MoverSchema) },
      errors: {
        ...ADMIN_TOKEN,
        ...ID_IN_PATH('simulation'),
        409: '`conflict`: the simulation is still running, or failed: it has no movers to list',
        422: '`validation_failed`: a bad `format`, `offset` or `limit`',
      },
    },
    'POST /admin/reports': {
      summary: 'Start a report as of a date (`dormant`: the win-back list)',
      description: 'Every known group in the base tier at D with its counted orders of the 365 days ending D, RFM scores and segment, and the win-back rate of the last 30 days. Takes no lease.',
      request: { body: ReportRequestSchema },
      success: { status: 202, description: 'The report started', body: ReportStartedSchema },
      errors: { ...JSON_BODY_ERRORS, ...ADMIN_TOKEN, 422: '`validation_failed`: an unknown `kind`, or an `asOf` that is not a date or after today; nothing was started' },
    },
    'GET /admin/reports': {
      summary: 'Reports, newest first',
      request: { query: ListQuerySchema },
      success: { status: 200, description: 'A page of reports; `next` is the cursor of the following page (null on the last)', body: ReportListSchema },
      errors: { ...ADMIN_TOKEN, 422: '`validation_failed`: a bad `limit`, or a `cursor` this listing did not hand out' },
    },
    'GET /admin/reports/{reportId}': {
      summary: "A report's status and, once it has succeeded, its rows, segments and win-back rate",
      description: 'A report whose tasks were lost (no progress for 10 minutes) is resumed when read, and failed with the reason after three resumes.',
      request: { path: ReportPathSchema },
      success: { status: 200, description: 'The report (its numbers null until it has succeeded)', body: ReportViewSchema },
      errors: { ...ADMIN_TOKEN, ...ID_IN_PATH('report') },
    },
    'GET /admin/reports/{reportId}/rows': {
      summary: "A report's rows, in its ranking",
      description:
        'JSON, or `?format=csv` (text/csv, a header row, contacts joined by "; ", RFC 4180 quoting). At most 10,000 rows per answer: the total is in `x-total-count`, the next page in a `link: <…>; rel="next"` header.',
      request: { path: ReportPathSchema, query: ResultRowsQuerySchema },
      success: { status: 200, description: 'A page of rows', body: z.array(DormantRowSchema) },
      errors: {
        ...ADMIN_TOKEN,
        ...ID_IN_PATH('report'),
        409: '`conflict`: the report is still running, or failed: it has no rows to list',
        422: '`validation_failed`: a bad `format`, `offset` or `limit`',
      },
    },
    'GET /console': {
      summary: 'The manager console (an HTML page over the admin API)',
      description: 'Public: the page holds no data; it asks for the admin token and keeps it for the tab only.',
      success: { status: 200, description: 'The console page (text/html)' },
      errors: {},
    },
    'GET /openapi.json': {
      summary: 'This document',
      description: 'OpenAPI 3.1, generated from the schemas the handlers validate with. Public: it holds no data.',
      success: {
        status: 200,
        description: 'The OpenAPI document',
        body: z.looseObject({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
      },
      errors: {},
    },
  } satisfies Record<RouteKey, RouteContract>;
}
