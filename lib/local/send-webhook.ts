/**
 * `npm run webhook -- <orders|clients|groups|prices> <file.json | inline JSON | ->`: signs a body with
 * WEBHOOK_SECRET as the ERP must (§3.2) and posts it to the running local stack.
 */
import { signWebhook } from '../http/signature.js';
import { apiBaseUrl, callApi, fail, parseCommandLine, readBodyArgument, USAGE_ERROR } from './cli.js';
import { DEV_SECRETS } from './dev-secrets.js';

const NAME = 'webhook';
const COMMAND = 'npm run webhook --';
const KINDS = ['orders', 'clients', 'groups', 'prices'];

const { positionals } = parseCommandLine({
  name: NAME,
  command: COMMAND,
  options: {},
  positionals: { min: 2, max: 2 },
  help: `
Usage: ${COMMAND} <${KINDS.join('|')}> <body>

Signs the body with WEBHOOK_SECRET exactly as the ERP must (X-Signature: t=<unix seconds>,v1=<HMAC-SHA256>)
and POSTs it to /webhooks/<kind> of the running local stack (npm start). Prints the status and the answer;
exits 0 on 2xx, 1 otherwise.

<body> is a JSON file, inline JSON starting with { (quote it), or - to read stdin.

Environment:
  PORT            port of the local stack's API (default 3000)
  API_URL         full base URL instead (e.g. http://localhost:3100)
  WEBHOOK_SECRET  the secret the stack runs with (default: the dev secret npm start prints)

Example:
  ${COMMAND} orders test/fixtures/webhooks/orders.json
`,
});
const [kind, source] = positionals as [string, string];
if (!KINDS.includes(kind)) fail(NAME, `unknown kind "${kind}": one of ${KINDS.join(', ')}`, USAGE_ERROR);
const body = readBodyArgument(NAME, source);
const base = apiBaseUrl(NAME);
const secret = process.env.WEBHOOK_SECRET || DEV_SECRETS.WEBHOOK_SECRET;
const answer = await callApi(NAME, base, `/webhooks/${kind}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-signature': signWebhook(secret, body) },
  body,
});
const hint = answer.status === 401 ? '   (is WEBHOOK_SECRET the secret the stack runs with? npm start prints it)' : '';
console.log(`${answer.status} ${JSON.stringify(answer.body)}${hint}`);
process.exit(answer.ok ? 0 : 1);
