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

/** How far a job (a run, a simulation, a report) has got. */
const JobProgressSchema = z.object({
  phase: z.enum(['map', 'reduce', 'finish', 'done']).meta({ description: 'map (orders), reduce (groups), finish (totals, sorted rows), done' }),
  mapShardsDone: Count,
  mapShards: Count,
  reduceShardsDone: Count,
  reduceShards: Count,
});

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
  progress: JobProgressSchema,
  trigger: z.string().meta({ description: 'What started it: schedule, admin, …' }),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  durationSeconds: z.number().nullable().meta({ description: 'From start to finish; null while running' }),
  phases: z
    .object({ map: RunPhaseSchema, reduce: RunPhaseSchema, finish: RunPhaseSchema })
    .meta({ description: 'When each phase started and finished, and how long it took (null while not known)' }),
  tiers: z
    .array(z.object({ id: z.string(), groups: Count, sum90d: MoneyText, discountCost: MoneyText }))
    .nullable()
    .meta({ description: 'Groups per tier after the run (those with a purchase in the window or a paid tier), tiers of its program version in order; null until it succeeded' }),
  deliveriesRepublished: Count.nullable().meta({ description: 'Owed deliveries its closing sweep published again; null before the sweep' }),
  error: z.string().optional().meta({ description: 'Why a failed run failed' }),
});
export type RunView = z.infer<typeof RunViewSchema>;

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
  phase: z.enum(['map', 'reduce', 'finish']),
  requeued: Count.meta({ description: 'Tasks queued again (the unfinished shards; one finished one when all were, to move the run on; the finish in its finish phase)' }),
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
export const QueuePathSchema = z.object({ queue: z.string().meta({ examples: ['tier-emails'], description: 'recalc-tasks, tier-emails, price-list-updates or email-send-events (or its -dlq)' }) });

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

/** An as-of date as an operator gives it (a run, a simulation, a report): a business date not after today. */
const AsOfField = (description: string) => AsOfDate.meta({ format: 'date', description, examples: ['2026-11-21'] });
const JobStatusSchema = z.enum(['running', 'succeeded', 'failed']);
const JobTimesSchema = {
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  error: z.string().optional().meta({ description: 'Why a failed job failed (its numbers stay null)' }),
};

/** `?limit=20&cursor=…` of a listing newest first: `cursor` is the `next` of the page before. */
export const ListQuerySchema = z.object({
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').default(20),
  cursor: z.string().min(1).max(2000).optional().meta({ description: 'The `next` of the page before' }),
});

/** The most rows one answer carries: a page of a large result stays well inside Lambda's 6 MB response. */
export const MAX_ROWS_PER_ANSWER = 10_000;

/** `?format=csv|json&offset=N&limit=N` of a route that lists a job's result rows. */
export const ResultRowsQuerySchema = z.object({
  format: z.enum(['json', 'csv']).default('json').meta({ description: '`csv`: text/csv with a header row, RFC 4180 quoting' }),
  offset: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, `must be 1 to ${MAX_ROWS_PER_ANSWER}`)
    .max(MAX_ROWS_PER_ANSWER, `must be 1 to ${MAX_ROWS_PER_ANSWER}`)
    .default(MAX_ROWS_PER_ANSWER),
});
export type ResultRowsRequest = z.output<typeof ResultRowsQuerySchema>;

/** Body of POST /admin/simulations (§4.5): a candidate program, shaped like a stored version. */
export const SimulationRequestSchema = z
  .object({
    asOf: AsOfField('As-of date D: the sums of the window ending D, the current program is the one in effect at D'),
    program: ProgramConfigSchema,
  })
  .strict();

/** The form of every simulation id: `sim-`, its as-of date and 8 random hex digits. */
export const SimulationId = z.string().regex(/^sim-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/, 'simulation ids look like sim-2026-11-21-1a2b3c4d');
export const SimulationPathSchema = z.object({ simulationId: SimulationId });

/** 202 answer of POST /admin/simulations. */
export const SimulationStartedSchema = z.object({ simulationId: z.string() });

const TierSideSchema = z.object({ groups: Count, sum90d: MoneyText, discountCost: MoneyText });
const MovesSchema = z.object({ up: Count, down: Count, same: Count });

/** A simulation as GET /admin/simulations lists it: its numbers are null until it has succeeded. */
export const SimulationSummarySchema = z.object({
  simulationId: z.string(),
  asOf: BusinessDateText,
  status: JobStatusSchema,
  programVersion: z.number().int().min(1).meta({ description: 'The program version in effect at D: the current program' }),
  groups: Count.nullable().meta({ description: 'Groups with a purchase in the window or a paid tier (by a floor)' }),
  moves: MovesSchema.nullable(),
  discountCost: z
    .object({ current: MoneyText, candidate: MoneyText, delta: z.string().regex(/^-?\d+\.\d{2}$/) })
    .nullable()
    .meta({ description: "Σ of each group's 90-day sum × its discount, half-up per group; delta = candidate − current" }),
  movers: Count.nullable().meta({ description: 'How many groups the candidate puts in another tier' }),
  progress: JobProgressSchema,
  ...JobTimesSchema,
});
export type SimulationSummary = z.infer<typeof SimulationSummarySchema>;

/** 200 answer of GET /admin/simulations/{simulationId} (§4.5). */
export const SimulationViewSchema = SimulationSummarySchema.extend({
  tiers: z
    .array(z.object({ id: z.string(), current: TierSideSchema, candidate: TierSideSchema }))
    .nullable()
    .meta({ description: "The candidate's tiers in order, then the current tiers it drops" }),
  moves: MovesSchema.extend({
    matrix: z.record(z.string(), z.record(z.string(), Count)).meta({ description: 'matrix[from][to]: groups in `from` now and in `to` under the candidate' }),
  }).nullable(),
  candidate: z.record(z.string(), z.unknown()).meta({ description: 'The candidate program, every field explicit' }),
});
export type SimulationView = z.infer<typeof SimulationViewSchema>;

/** 200 answer of GET /admin/simulations. */
export const SimulationListSchema = z.object({ simulations: z.array(SimulationSummarySchema), next: z.string().nullable() });

/** One mover of GET /admin/simulations/{simulationId}/movers, largest sum first. */
export const MoverSchema = z.object({
  groupId: z.string(),
  name: z.string(),
  sum90d: MoneyText,
  qualifyingSum90d: MoneyText.meta({ description: "The candidate's qualifying sum: what put the group in `to`" }),
  from: z.string(),
  to: z.string(),
});
export type Mover = z.infer<typeof MoverSchema>;

/** The report kinds of POST /admin/reports. */
export const REPORT_KINDS = ['dormant'] as const;

/** Body of POST /admin/reports (§4.6). */
export const ReportRequestSchema = z
  .object({
    kind: z.enum(REPORT_KINDS).meta({ description: '`dormant`: the win-back list of the groups in the base tier' }),
    asOf: AsOfField('As-of date D: the 365 days of counted orders ending D'),
  })
  .strict();

/** The form of every report id: its kind, its as-of date and 8 random hex digits. */
export const ReportId = z.string().regex(/^dormant-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/, 'report ids look like dormant-2026-11-21-1a2b3c4d');
export const ReportPathSchema = z.object({ reportId: ReportId });

/** 202 answer of POST /admin/reports. */
export const ReportStartedSchema = z.object({ reportId: z.string() });

/** 200 answer of GET /admin/reports/{reportId} (§4.6); its numbers are null until it has succeeded. */
export const ReportViewSchema = z.object({
  reportId: z.string(),
  kind: z.enum(REPORT_KINDS),
  asOf: BusinessDateText,
  status: JobStatusSchema,
  programVersion: z.number().int().min(1).nullable().meta({ description: 'The program version in effect at D' }),
  rows: Count.nullable(),
  segments: z.record(z.string(), Count).nullable().meta({ description: 'Rows per RFM segment (every segment, zeros too)' }),
  winBack: z
    .object({
      dormant30DaysAgo: Count.meta({ description: 'Groups in the base tier at D − 30' }),
      returned: Count.meta({ description: 'Of those, the groups with a counted order in (D − 30, D]' }),
      rate: z.number().min(0).max(1).nullable().meta({ description: 'returned / dormant30DaysAgo, 4 decimals; null when none were dormant' }),
    })
    .nullable(),
  progress: JobProgressSchema,
  ...JobTimesSchema,
});
export type ReportView = z.infer<typeof ReportViewSchema>;

/** 200 answer of GET /admin/reports. */
export const ReportListSchema = z.object({ reports: z.array(ReportViewSchema), next: z.string().nullable() });

/** One row of GET /admin/reports/{reportId}/rows, ranked by sum365, largest first, then the most recent order. */
export const DormantRowSchema = z.object({
  groupId: z.string(),
  name: z.string(),
  contacts: z.array(z.string()).meta({ description: 'In the CSV: joined by "; "' }),
  lastOrderDate: BusinessDateText.nullable().meta({ description: 'The last counted order within the 365 days; null if none' }),
  daysSinceLastOrder: Count.nullable(),
  orders365: Count,
  sum365: MoneyText,
  sum90d: MoneyText,
  toLowestPaidTier: MoneyText.nullable().meta({ description: 'How much more qualifying volume buys the lowest paid tier; null in a program without one' }),
  r: z.number().int().min(1).max(5),
  f: z.number().int().min(1).max(5),
  m: z.number().int().min(1).max(5),
  segment: z.string().meta({ description: 'The RFM segment (README: the segment map); `lost` without a counted order' }),
});
