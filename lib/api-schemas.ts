/**
 * Shapes of the HTTP API's requests and answers (the webhook batches are in lib/ingest/schemas.ts): the
 * handlers validate requests with these schemas, the use cases type their answers with them, and the OpenAPI
 * document (lib/http/openapi.ts) is generated from them, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { isBusinessDate } from './domain/business-date.js';
import { ErpId } from './ingest/schemas.js';
import { ProgramConfigSchema } from './program/program-config.js';

const BusinessDateText = z.string().meta({ format: 'date', description: 'A business date in the program time zone', examples: ['2026-11-21'] });
const MoneyText = z.string().regex(/^\d+\.\d{2}$/).meta({ description: 'An amount in currency units, exactly two decimals', examples: ['175000.00'] });
const Timestamp = z.string().meta({ format: 'date-time' });
const Count = z.number().int().min(0);

const BusinessDateField = (description: string) =>
  z.string().refine(isBusinessDate, 'must be a business date YYYY-MM-DD').meta({ format: 'date', description, examples: ['2026-11-21'] });

/** Body of POST /admin/recalculate. */
export const RecalculateRequestSchema = z.object({
  asOf: BusinessDateField('As-of date D: the run sums the window [D − windowDays + 1, D]'),
});

/** Body of PUT /admin/program: a new program version and the date it takes effect (§4.1). */
export const ProgramVersionRequestSchema = z
  .object({
    effectiveFrom: BusinessDateField('First business date the version applies to; after the as-of date of every run so far'),
    program: ProgramConfigSchema,
  })
  .strict();

/** Body of PUT /admin/groups/{groupId}/floor (§4.2). */
export const FloorRequestSchema = z
  .object({
    tierId: z.string().min(1).max(32).meta({ description: 'The lowest tier the group may be in while the floor lasts' }),
    until: BusinessDateField('Last business date the floor holds'),
    note: z.string().max(500).default(''),
  })
  .strict();

/** Path of the routes under /groups/{groupId} and /admin/groups/{groupId}: the id rules of a group. */
export const GroupPathSchema = z.object({ groupId: ErpId });

/** Most SKUs one prices request may ask for. */
export const MAX_PRICE_SKUS = 100;

/** Query of GET /groups/{groupId}/prices (`?sku=A&sku=B`). */
export const PricesQuerySchema = z.object({
  sku: z
    .array(z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'))
    .min(1, `give 1 to ${MAX_PRICE_SKUS} sku parameters`)
    .max(MAX_PRICE_SKUS, `give 1 to ${MAX_PRICE_SKUS} sku parameters`)
    .meta({ description: 'The SKUs to price, one `sku` parameter each' }),
});

/** 202 answer of a webhook: how many items changed the store, how many were not newer than the stored ones. */
export const IngestOutcomeSchema = z.object({ accepted: Count, unchanged: Count });

/** 200 answer of GET /groups/{groupId} (§3.1). */
export const GroupStatusSchema = z.object({
  groupId: z.string(),
  name: z.string(),
  members: z.array(z.string()).meta({ description: 'Client ids whose master data names this group now' }),
  asOf: BusinessDateText.nullable().meta({ description: 'As-of date of the last run that evaluated the group; null before any' }),
  sum90d: MoneyText,
  qualifyingSum90d: MoneyText.meta({ description: 'The sum tiers are decided by: focus brands weighted (§4.3)' }),
  tier: z.object({ id: z.string(), name: z.string(), discountPercent: z.number(), benefits: z.array(z.string()), benefitCodes: z.array(z.string()) }),
  tierSince: BusinessDateText.nullable(),
  nextTier: z
    .object({ id: z.string(), threshold: MoneyText, remaining: MoneyText })
    .nullable()
    .meta({ description: 'The next tier up and how much more qualifying volume buys it; null in the top tier' }),
  floor: z
    .object({ tierId: z.string(), until: BusinessDateText })
    .nullable()
    .meta({ description: "The manager's tier floor while it lasts (until ≥ today), else null" }),
  outlook: z
    .object({
      holdsUntil: BusinessDateText.nullable().meta({ description: "Last date the qualifying sum still meets the tier's retain threshold if nothing more is bought; null in the base tier and while below it" }),
      toKeep: MoneyText.nullable().meta({ description: 'What the group must buy (qualifying) by the day after holdsUntil to keep the tier; while below, what it misses now' }),
      belowRetainSince: BusinessDateText.nullable().meta({ description: 'First run date the group was below its retain threshold (the grace countdown); null if not' }),
      downgradeOn: BusinessDateText.nullable().meta({ description: 'The nightly run that would move the group down if nothing more is bought (grace, minimum days, floor applied)' }),
      downgradeTo: z.string().nullable().meta({ description: 'The tier it would move down to on downgradeOn' }),
    })
    .meta({ description: 'Where the group is heading if it buys nothing more, as the last run projected it (§4.4)' }),
});
export type GroupStatus = z.infer<typeof GroupStatusSchema>;

/** 200 answer of GET /groups/{groupId}/history: tier changes, newest first. */
export const GroupHistorySchema = z.object({
  groupId: z.string(),
  changes: z.array(
    z.object({
      eventId: z.string().meta({ examples: ['G-7/2026-11-21/1'] }),
      asOf: BusinessDateText,
      from: z.string(),
      to: z.string(),
      direction: z.enum(['up', 'down']),
      reason: z.enum(['sum', 'floor', 'program']).meta({ description: 'What moved the group: its sum, a floor, or a program version that dropped its tier' }),
      sum90d: MoneyText,
      qualifyingSum90d: MoneyText,
    }),
  ),
});
export type GroupHistory = z.infer<typeof GroupHistorySchema>;

/** 200 answer of GET /groups/{groupId}/prices (§2.8). */
export const GroupPricesSchema = z.object({
  groupId: z.string(),
  tierId: z.string(),
  discountPercent: z.number(),
  prices: z.array(z.object({ sku: z.string(), basePrice: MoneyText, price: MoneyText })),
  missing: z.array(z.string()).meta({ description: 'SKUs asked for that have no base price' }),
});
export type GroupPrices = z.infer<typeof GroupPricesSchema>;

/** 202 answer of POST /admin/recalculate. */
export const RecalculationStartedSchema = z.object({
  runId: z.string(),
  alreadyRunning: z.boolean().meta({ description: 'True when a run for this as-of date was already going: this is that run' }),
});
export type RecalculationStarted = z.infer<typeof RecalculationStartedSchema>;

/** 200 answer of GET /admin/runs/{runId}. */
export const RunViewSchema = z.object({
  runId: z.string(),
  asOf: BusinessDateText,
  status: z.enum(['running', 'succeeded', 'failed']),
  programVersion: z.number().int().min(1).nullable().meta({ description: 'The program version the run applies' }),
  groups: Count,
  changed: Count,
  up: Count,
  down: Count,
  skipped: Count,
  notices: z
    .object({ atRisk: Count, nearNextTier: Count, noContacts: Count })
    .meta({ description: 'Notices the run sent (at risk, near the next tier) and those due to groups without contacts, not sent (§4.4)' }),
  progress: z.object({
    phase: z.enum(['map', 'reduce', 'finish', 'done']),
    mapShardsDone: Count,
    mapShards: Count,
    reduceShardsDone: Count,
    reduceShards: Count,
  }),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  error: z.string().optional().meta({ description: 'Why a failed run failed' }),
});
export type RunView = z.infer<typeof RunViewSchema>;

/** 200 answer of GET /admin/program: the version in effect today and every version, newest first (§4.1). */
export const ProgramDescriptionSchema = z.object({
  version: z.number().int().min(1),
  effectiveFrom: BusinessDateText,
  program: ProgramConfigSchema.meta({ description: 'The program of that version, every field explicit' }),
  versions: z.array(
    z.object({
      version: z.number().int().min(1),
      effectiveFrom: BusinessDateText,
      createdAt: Timestamp.nullable().meta({ description: 'When it was stored; null for the deployed program before it is stored' }),
    }),
  ),
});

/** 201 answer of PUT /admin/program. */
export const ProgramVersionStoredSchema = z.object({ version: z.number().int().min(1), effectiveFrom: BusinessDateText });
export type ProgramVersionStored = z.infer<typeof ProgramVersionStoredSchema>;

/** 200 answer of PUT /admin/groups/{groupId}/floor: the floor as stored. */
export const GroupFloorSchema = z.object({ groupId: z.string(), tierId: z.string(), until: BusinessDateText, note: z.string() });
