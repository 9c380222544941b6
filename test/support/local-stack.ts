import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { signWebhook } from '../../lib/http/signature.js';
import { DEV_SECRETS, startLocalStack, type LocalStack } from '../../lib/local/stack.js';

let current: LocalStack | undefined;

/** The local stack of this test file (started by the setup file before the test's own imports). */
export function testStack(): LocalStack {
  if (!current) throw new Error('The test stack is not running: test/support/stack-setup.ts must be a setup file');
  return current;
}

/** Setup-file entry: starts this file's stack, so AWS clients built at import see its environment. */
export async function setupTestStack(): Promise<void> {
  current = await startTestStack();
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
}

/**
 * Starts the local stack for one test file against the shared servers, with tables and queues of its
 * own (a random prefix), and returns it. Fails loudly when the global setup did not start the servers.
 */
export async function startTestStack(): Promise<LocalStack> {
  const endpoints = inject('endpoints');
  if (!endpoints?.dynamodbEndpoint) throw new Error('Local AWS servers are not running: test/support/global-setup.ts must run first');
  return startLocalStack({ endpoints, prefix: `t${randomBytes(4).toString('hex')}-` });
}

/** POSTs a body to a webhook route, signed with the dev secret unless a signature is given. */
export async function postWebhook(
  stack: LocalStack,
  kind: string,
  body: unknown,
  options: { signature?: string | null; contentType?: string; rawBody?: string } = {},
): Promise<{ status: number; body: any }> {
  const raw = options.rawBody ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const signature = options.signature === undefined ? signWebhook(DEV_SECRETS.WEBHOOK_SECRET, raw) : options.signature;
  if (signature !== null) headers['x-signature'] = signature;
  const response = await fetch(`${stack.url}/webhooks/${kind}`, { method: 'POST', headers, body: raw });
  return { status: response.status, body: await response.json() };
}

/** GETs an API route with a bearer token (the dev API token unless another is given). */
export async function getJson(stack: LocalStack, path: string, token: string | null = DEV_SECRETS.API_TOKEN): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.json() };
}
