import { webhookHandler } from '../lib/http/webhook.js';
import { ingestClients } from '../lib/use-cases/ingest.js';

/** POST /webhooks/clients: signed ERP batch of clients (1–500), all-or-nothing, version-wins. */
export const handler = webhookHandler('clients', ingestClients);
