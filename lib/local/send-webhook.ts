/**
 * `npm run webhook -- <orders|clients|groups|prices> <file.json | inline JSON | ->`: signs a body with
 * WEBHOOK_SECRET as the ERP must (§3.2) and posts it to API_URL (default http://localhost:3000).
 */
import { existsSync, readFileSync } from 'node:fs';
import { signWebhook } from '../http/signature.js';
import { DEV_SECRETS } from './stack.js';

const [kind, source] = process.argv.slice(2);
if (!kind || !['orders', 'clients', 'groups', 'prices'].includes(kind) || !source) {
  console.error('usage: npm run webhook -- <orders|clients|groups|prices> <file.json | inline JSON | - for stdin>');
  process.exit(2);
}
const body = source === '-' ? readFileSync(0, 'utf8') : existsSync(source) ? readFileSync(source, 'utf8') : source;
const secret = process.env.WEBHOOK_SECRET || DEV_SECRETS.WEBHOOK_SECRET;
const apiUrl = process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const response = await fetch(`${apiUrl}/webhooks/${kind}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-signature': signWebhook(secret, body) },
  body,
});
console.log(response.status, await response.text());
process.exit(response.ok ? 0 : 1);
