import { DEV_SECRETS, type LocalStack } from '../../lib/local/stack.js';

/**
 * Calls an admin route with the admin token (or the given one, or none), a JSON body when given. The answer
 * body is parsed when it is JSON, and kept as text otherwise (CSV).
 */
export async function adminRequest(
  stack: LocalStack,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  token: string | null = DEV_SECRETS.ADMIN_TOKEN,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${stack.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, body: text && isJson ? JSON.parse(text) : text || undefined };
}
