/** The admin API as the console uses it: the token of this tab, JSON in and out, errors as values. */

const TOKEN_KEY = 'tier-console.token';

/** One issue of a 422 answer: the field at fault and what is wrong with it. */
export interface ApiIssue {
  path: string;
  index?: number;
  message: string;
}

/** A non-2xx answer of the API, with its §3.1 error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

/** The admin token, kept for this tab only (sessionStorage). */
export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

let onUnauthorized: () => void = () => {};

/** Registers what happens on a 401 (the shell brings the token prompt back). */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

async function send(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { accept, authorization: `Bearer ${token.get() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (response.ok) return response;
  const error = (await response.json().catch(() => ({}))) as { error?: string; message?: string; issues?: ApiIssue[] };
  if (response.status === 401) {
    token.clear();
    onUnauthorized();
  }
  throw new ApiError(response.status, error.error ?? 'http_error', error.message ?? `${response.status} ${response.statusText}`, error.issues ?? []);
}

/** GET a JSON route. */
export async function getJson<T>(path: string): Promise<T> {
  return (await (await send('GET', path)).json()) as T;
}

/** POST or PUT a JSON body; answers the parsed JSON body (null for an empty one). */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** Fetches a CSV with the token and hands it to the browser as a download named `fileName`. */
export async function downloadCsv(path: string, fileName: string): Promise<void> {
  // A long list comes in pages (at most 10,000 rows each): follow `link: <…>; rel="next"`, keeping one header row.
  const parts: string[] = [];
  for (let next: string | undefined = path; next; ) {
    const response = await send('GET', next, undefined, 'text/csv');
    const text = await response.text();
    parts.push(parts.length === 0 ? text : text.slice(text.indexOf('\r\n') + 2));
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
