import { webhookHandler } from '../lib/http/webhook.js';
import { ingestGroups } from '../lib/use-cases/ingest.js';

/** POST /webhooks/groups: signed ERP batch of groups (1–500), all-or-nothing, version-wins. */
export const handler = webhookHandler('groups', ingestGroups);
