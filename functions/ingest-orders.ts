import { webhookHandler } from '../lib/http/webhook.js';
import { ingestOrders } from '../lib/use-cases/ingest.js';

/** POST /webhooks/orders: signed ERP batch of orders (1–500), all-or-nothing, version-wins. */
export const handler = webhookHandler('orders', ingestOrders);
