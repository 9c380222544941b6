import { DEV_SECRETS } from './stack.js';

/** Where the command-line tools find the admin API: API_URL, else the local stack on PORT (3000). */
const apiUrl = () => process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;

/**
 * Calls the admin API of a running stack with ADMIN_TOKEN (the dev token by default) and returns the JSON
 * answer; any other status prints one line naming the call and the error, and exits 1.
 */
export async function callAdminApi(path: string, init: RequestInit = {}): Promise<any> {
  const headers = { authorization: `Bearer ${process.env.ADMIN_TOKEN || DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' };
  let response: Response;
  try {
    response = await fetch(`${apiUrl()}${path}`, { ...init, headers });
  } catch (error) {
    console.error(`${init.method ?? 'GET'} ${apiUrl()}${path}: ${(error as Error).message} (is the stack running? npm start)`);
    process.exit(1);
  }
  const body: any = await response.json().catch(() => ({}));
  if (!response.ok) {
    console.error(`${init.method ?? 'GET'} ${path} → ${response.status} ${body.error ?? ''}: ${body.message ?? JSON.stringify(body)}`);
    process.exit(1);
  }
  return body;
}
