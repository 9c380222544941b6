import type { QueueKey, TableKey } from './resources.js';

export type TableAccess = 'read' | 'write' | 'readWrite';

/**
 * Access to a queue's dead-letter queue: `inspect` reads its attributes and message move tasks; `redrive`
 * also starts a move back to the source queue (which the function must declare in `sendsTo`).
 */
export type DeadLetterAccess = 'inspect' | 'redrive';

/**
 * Every Lambda function of the system and exactly the access it needs: CDK grants from this (least
 * privilege) and sets the env vars of each named table and queue; `name` is the file under functions/.
 */
export interface FunctionDefinition {
  readonly name: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly tables: Partial<Record<TableKey, TableAccess>>;
  /** Queues the function sends to. */
  readonly sendsTo: readonly QueueKey[];
  /** Reads the webhook secret and tokens (Secrets Manager). */
  readonly secrets: boolean;
  /** Sends email through SES. */
  readonly sendsEmail?: boolean;
  /** Dead-letter queues the function inspects or redrives. */
  readonly deadLetters?: Partial<Record<QueueKey, DeadLetterAccess>>;
}

const api = { timeoutSeconds: 29, memoryMb: 512, sendsTo: [], secrets: true } as const;

export const functions: readonly FunctionDefinition[] = [
  { ...api, name: 'ingest-orders', description: 'POST /webhooks/orders', tables: { orders: 'readWrite' } },
  { ...api, name: 'ingest-clients', description: 'POST /webhooks/clients', tables: { clients: 'readWrite' } },
  { ...api, name: 'ingest-groups', description: 'POST /webhooks/groups', tables: { groups: 'readWrite' } },
  { ...api, name: 'ingest-prices', description: 'POST /webhooks/prices', tables: { prices: 'readWrite' } },
  {
    ...api,
    name: 'get-group',
    description: 'GET /groups/{groupId}',
    tables: { groups: 'read', clients: 'read', groupState: 'read', runs: 'read', groupFloors: 'read', programVersions: 'read' },
  },
  {
    ...api,
    name: 'get-group-history',
    description: 'GET /groups/{groupId}/history',
    tables: { groups: 'read', clients: 'read', groupState: 'read', tierChanges: 'read' },
  },
  {
    ...api,
    name: 'get-group-prices',
    description: 'GET /groups/{groupId}/prices',
    tables: { groups: 'read', clients: 'read', groupState: 'read', runs: 'read', prices: 'read', groupFloors: 'read', programVersions: 'read' },
  },
  {
    ...api,
    name: 'start-recalculation',
    description: 'POST /admin/recalculate',
    // Writes program versions only to store the deployed program as version 1 when none is stored.
    tables: { runs: 'readWrite', programVersions: 'readWrite' },
    sendsTo: ['recalcTasks'],
  },
  { ...api, name: 'list-runs', description: 'GET /admin/runs', tables: { runs: 'read', programVersions: 'read' } },
  { ...api, name: 'get-run-changes', description: 'GET /admin/runs/{runId}/changes', tables: { runs: 'read' } },
  { ...api, name: 'resume-run', description: 'POST /admin/runs/{runId}/resume', tables: { runs: 'readWrite' }, sendsTo: ['recalcTasks'] },
  { ...api, name: 'list-deliveries', description: 'GET /admin/deliveries', tables: { deliveries: 'read' } },
  {
    ...api,
    name: 'sweep-deliveries',
    description: 'POST /admin/deliveries/sweep',
    tables: { deliveries: 'readWrite' },
    sendsTo: ['tierEmails', 'priceListUpdates'],
  },
  {
    ...api,
    name: 'start-redrive',
    description: 'POST /admin/queues/{queue}/redrive',
    tables: {},
    sendsTo: ['recalcTasks', 'tierEmails', 'priceListUpdates', 'emailSendEvents'],
    deadLetters: { recalcTasks: 'redrive', tierEmails: 'redrive', priceListUpdates: 'redrive', emailSendEvents: 'redrive' },
  },
  {
    ...api,
    name: 'get-redrive',
    description: 'GET /admin/queues/{queue}/redrive',
    tables: {},
    deadLetters: { recalcTasks: 'inspect', tierEmails: 'inspect', priceListUpdates: 'inspect', emailSendEvents: 'inspect' },
  },
  {
    ...api,
    name: 'reset-applied-date',
    description: 'POST /admin/repair/applied-date',
    tables: { groupState: 'readWrite', runs: 'readWrite' },
  },
  { ...api, name: 'get-run', description: 'GET /admin/runs/{runId}', tables: { runs: 'read', programVersions: 'read' } },
  { ...api, name: 'get-program', description: 'GET /admin/program', tables: { programVersions: 'read' } },
  { ...api, name: 'put-program', description: 'PUT /admin/program', tables: { programVersions: 'readWrite', runs: 'read' } },
  {
    ...api,
    name: 'put-group-floor',
    description: 'PUT /admin/groups/{groupId}/floor',
    tables: { groupFloors: 'write', programVersions: 'read', groups: 'read', clients: 'read', groupState: 'read' },
  },
  { ...api, name: 'delete-group-floor', description: 'DELETE /admin/groups/{groupId}/floor', tables: { groupFloors: 'write' } },
  { ...api, name: 'get-openapi', description: 'GET /openapi.json', tables: {}, secrets: false },
  { ...api, name: 'get-overview', description: 'GET /admin/overview', tables: { runs: 'read', programVersions: 'read' } },
  // The console page is built into the function and holds no data: it reads nothing and needs no secret.
  { ...api, name: 'get-console', description: 'GET /console', memoryMb: 256, tables: {}, secrets: false },
  {
    ...api,
    name: 'start-simulation',
    description: 'POST /admin/simulations',
    tables: { runs: 'readWrite', programVersions: 'read' },
    sendsTo: ['recalcTasks'],
  },
  // Reading a simulation or a report may resume it when it has stalled (its tasks were lost): they queue tasks.
  { ...api, name: 'list-simulations', description: 'GET /admin/simulations', tables: { runs: 'read' } },
  { ...api, name: 'get-simulation', description: 'GET /admin/simulations/{simulationId}', tables: { runs: 'readWrite' }, sendsTo: ['recalcTasks'] },
  {
    ...api,
    name: 'get-simulation-movers',
    description: 'GET /admin/simulations/{simulationId}/movers',
    tables: { runs: 'readWrite' },
    sendsTo: ['recalcTasks'],
  },
  { ...api, name: 'start-report', description: 'POST /admin/reports', tables: { runs: 'readWrite' }, sendsTo: ['recalcTasks'] },
  { ...api, name: 'list-reports', description: 'GET /admin/reports', tables: { runs: 'read' } },
  { ...api, name: 'get-report', description: 'GET /admin/reports/{reportId}', tables: { runs: 'readWrite' }, sendsTo: ['recalcTasks'] },
  { ...api, name: 'get-report-rows', description: 'GET /admin/reports/{reportId}/rows', tables: { runs: 'readWrite' }, sendsTo: ['recalcTasks'] },
  {
    name: 'recalc-scheduled',
    description: 'Nightly schedule: starts the run for yesterday',
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { runs: 'readWrite', programVersions: 'readWrite' },
    sendsTo: ['recalcTasks'],
    secrets: false,
  },
  {
    name: 'recalc-worker',
    description: 'Runs one task of a job: a recalculation, a simulation or a report',
    timeoutSeconds: 300,
    memoryMb: 1024,
    // Groups: a report scans the group records and names its rows, a simulation names its movers, a
    // recalculation reads the contacts of the groups due a notice.
    tables: {
      orders: 'read',
      clients: 'read',
      groups: 'read',
      groupState: 'readWrite',
      tierChanges: 'readWrite',
      runs: 'readWrite',
      groupFloors: 'read',
      programVersions: 'read',
      deliveries: 'readWrite',
    },
    sendsTo: ['recalcTasks', 'tierEmails', 'priceListUpdates'],
    secrets: false,
  },
  {
    name: 'send-tier-email',
    description: 'Emails a group about its tier change',
    timeoutSeconds: 30,
    memoryMb: 512,
    tables: { groups: 'read', clients: 'read', idempotency: 'readWrite', programVersions: 'read', deliveries: 'readWrite' },
    sendsTo: [],
    secrets: false,
    sendsEmail: true,
  },
  {
    name: 'record-email-send',
    description: "Records SES's Send events on the delivery ledger",
    timeoutSeconds: 30,
    memoryMb: 256,
    tables: { deliveries: 'write' },
    sendsTo: [],
    secrets: false,
  },
  {
    name: 'update-price-list',
    description: 'Records the price-list assignment and calls the ERP back',
    timeoutSeconds: 30,
    memoryMb: 512,
    tables: { groups: 'read', clients: 'read', priceAssignments: 'readWrite', programVersions: 'read', deliveries: 'write' },
    sendsTo: [],
    secrets: true,
  },
];
