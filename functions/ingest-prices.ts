import { webhookHandler } from '../lib/http/webhook.js';
import { ingestPrices } from '../lib/use-cases/ingest.js';

/** POST /webhooks/prices: signed ERP batch of prices (1–500), all-or-nothing, version-wins. */
export const handler = webhookHandler('prices', ingestPrices);
