/**
 * Shapes of the HTTP API's requests and answers (the webhook batches are in lib/ingest/schemas.ts): the
 * handlers validate requests with these schemas, the use cases type their answers with them, and the OpenAPI
 * document (lib/http/openapi.ts) is generated from them, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { isBusinessDate } from './domain/business-date.js';
import { AsOfDate } from './http/as-of.js';
import { ErpId } from './ingest/schemas.js';
import { ProgramConfigSchema } from './program/program-config.js';

const BusinessDateText = z.string().meta({ format: 'date', description: 'A business date in the program time zone', examples: ['2026-11-21'] });
const MoneyText = z.string().regex(/^\d+\.\d{2}$/).meta({ description: 'An amount in currency units, exactly two decimals', examples: ['175000.00'] });
const Timestamp = z.string().meta({ format: 'date-time' });
const Count = z.number().int().min(0);
const RunPhaseSchema = z.object({ startedAt: Timestamp.nullable(), finishedAt: Timestamp.nullable(), seconds: z.number().nullable() });

const BusinessDateField = (description: string) =>
  z.string().refine(isBusinessDate, 'must be a business date YYYY-MM-DD').meta({ format: 'date', description, examples: ['2026-11-21'] });

/** Body of POST /admin/recalculate. */
export const RecalculateRequestSchema = z.object({
  asOf: AsOfDate.meta({
    format: 'date',
    description: 'As-of date D: the run sums the window [D − windowDays + 1, D]. Today at the latest, in the program time zone',
    examples: ['2026-11-21'],
  }),
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
  progress: z.object({
    phase: z.enum(['map', 'reduce', 'done']),
    mapShardsDone: Count,
    mapShards: Count,
    reduceShardsDone: Count,
    reduceShards: Count,
  }),
  trigger: z.string().meta({ description: 'What started it: schedule, admin, …' }),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  durationSeconds: z.number().nullable().meta({ description: 'From start to finish; null while running' }),
  phases: z
    .object({ map: RunPhaseSchema, reduce: RunPhaseSchema })
    .meta({ description: 'When each phase started and finished, and how long it took (null while not known)' }),
  tiers: z
    .array(z.object({ id: z.string(), groups: Count, sum90d: MoneyText, discountCost: MoneyText }))
    .nullable()
    .meta({ description: 'Groups per tier after the run (those with a purchase in the window or a paid tier), tiers of its program version in order; null until it succeeded' }),
  deliveriesRepublished: Count.nullable().meta({ description: 'Owed deliveries its closing sweep published again; null before the sweep' }),
  error: z.string().optional().meta({ description: 'Why a failed run failed' }),
});
export type RunView = z.infer<typeof RunViewSchema>;

/** Query of GET /admin/runs. */
export const RunListQuerySchema = z.object({
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').default(20),
  cursor: z.string().min(1).max(2000).optional().meta({ description: 'The `next` of the page before' }),
});

/** 200 answer of GET /admin/runs: runs newest first. */
export const RunListSchema = z.object({
  runs: z.array(RunViewSchema),
  next: z.string().nullable().meta({ description: 'Cursor of the next page; null on the last' }),
});
export type RunList = z.infer<typeof RunListSchema>;

/** Query of GET /admin/runs/{runId}/changes. */
export const RunChangesQuerySchema = z.object({ format: z.enum(['json', 'csv'], 'must be json or csv').default('json') });

/** One tier change of a run, as its report lists it (also the columns of the CSV, in order). */
export const RunChangeSchema = z.object({
  groupId: z.string(),
  from: z.string(),
  to: z.string(),
  direction: z.enum(['up', 'down']),
  sum90d: MoneyText,
  qualifyingSum90d: MoneyText,
  reason: z.enum(['sum', 'floor', 'program']),
  asOf: BusinessDateText,
  eventId: z.string(),
});
export type RunChange = z.infer<typeof RunChangeSchema>;

/** 200 answer of GET /admin/runs/{runId}/changes (JSON). */
export const RunChangesSchema = z.object({ runId: z.string(), asOf: BusinessDateText, status: z.enum(['running', 'succeeded', 'failed']), changes: z.array(RunChangeSchema) });
export type RunChanges = z.infer<typeof RunChangesSchema>;

/** 202 answer of POST /admin/runs/{runId}/resume. */
export const RunResumedSchema = z.object({
  runId: z.string(),
  status: z.literal('running'),
  phase: z.enum(['map', 'reduce']),
  requeued: Count.meta({ description: 'Shard tasks queued again (the unfinished ones; one finished one when all were, to move the run on)' }),
});
export type RunResumed = z.infer<typeof RunResumedSchema>;

/** Query of GET /admin/deliveries. */
export const DeliveriesQuerySchema = z.object({
  state: z.enum(['owed'], 'must be owed (delivered ones are not listed)').default('owed'),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 1000').max(1000, 'must be 1 to 1000').default(100),
});

const ChannelSchema = z.enum(['email', 'priceList']);

/** 200 answer of GET /admin/deliveries?state=owed. */
export const OwedDeliveriesSchema = z.object({
  state: z.literal('owed'),
  count: Count.meta({ description: 'Every delivery still owed' }),
  deliveries: z
    .array(
      z.object({
        eventId: z.string(),
        kind: z.string().meta({ examples: ['tier-change'] }),
        groupId: z.string(),
        owed: z.array(ChannelSchema).meta({ description: 'The channels that have not recorded it yet' }),
        delivered: z.partialRecord(ChannelSchema, z.object({ at: Timestamp, outcome: z.string() })).meta({ description: 'What each channel that has recorded it said' }),
        recordedAt: Timestamp,
        publishedAt: Timestamp.meta({ description: 'When it was last published' }),
        publishCount: Count,
      }),
    )
    .meta({ description: 'The `limit` published longest ago' }),
});
export type OwedDeliveries = z.infer<typeof OwedDeliveriesSchema>;

/** Body of POST /admin/deliveries/sweep (optional). */
export const SweepRequestSchema = z.object({
  olderThanMinutes: z
    .number('must be a number of minutes')
    .min(0, 'must be 0 or more')
    .max(43_200, 'must be at most 43200 (30 days)')
    .optional()
    .meta({ description: 'Publish again what was last published longer ago than this; default REDELIVER_AFTER_MINUTES (15)' }),
});

/** 200 answer of POST /admin/deliveries/sweep. */
export const SweepResultSchema = z.object({
  olderThanMinutes: z.number(),
  republished: Count,
  channels: z.object({ email: Count, priceList: Count }),
  settled: Count.meta({ description: 'Deliveries every channel had recorded that were still listed as owed' }),
});

/** Path of /admin/queues/{queue}/redrive. */
export const QueuePathSchema = z.object({ queue: z.string().meta({ examples: ['tier-emails'], description: 'recalc-tasks, tier-emails or price-list-updates (or its -dlq)' }) });

/** Answer of POST and GET /admin/queues/{queue}/redrive. */
export const RedriveSchema = z.object({
  queue: z.string(),
  deadLetterQueue: z.string(),
  started: z.boolean().optional().meta({ description: 'POST only: false when a move was already running (this is that one)' }),
  redrive: z
    .object({ status: z.string().meta({ examples: ['RUNNING', 'COMPLETED', 'FAILED'] }), moved: Count, toMove: Count.nullable(), startedAt: Timestamp.nullable(), failureReason: z.string().optional() })
    .nullable()
    .meta({ description: 'The latest move of the dead-letter queue; null when none was started' }),
  inDeadLetterQueue: Count,
});

/** Body of POST /admin/repair/applied-date. */
export const ResetAppliedDateRequestSchema = z.object({
  asOf: AsOfDate.meta({ format: 'date', description: 'The last date evaluated right: groups evaluated after it are set back to it' }),
  groupIds: z
    .array(ErpId)
    .min(1, 'give 1 to 500 group ids, or leave groupIds out for every group')
    .max(500, 'give 1 to 500 group ids')
    .optional()
    .meta({ description: 'Only these groups (and their shards); every group evaluated after asOf when left out' }),
});

/** 200 answer of POST /admin/repair/applied-date. */
export const ResetAppliedDateSchema = z.object({ asOf: BusinessDateText, groupsReset: Count, shardsReset: Count });
export type ResetAppliedDate = z.infer<typeof ResetAppliedDateSchema>;

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
