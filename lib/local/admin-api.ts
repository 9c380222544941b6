/**
 * What the job CLIs (`npm run simulate`, `npm run report`) share: calls to the admin API of a running stack
 * that end the command with one clear line when the stack is down or refuses, and following a job's
 * progress until it has finished. API_URL (default http://localhost:$PORT or :3000) and ADMIN_TOKEN
 * (default: the dev token) pick the target.
 */
import { sleep } from '../concurrency.js';
import { DEV_SECRETS } from './stack.js';

/** Prints one line on stderr and exits with `code` (1: the work failed, 2: wrong usage). */
export function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const apiUrl = () => process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const headers = () => ({ authorization: `Bearer ${process.env.ADMIN_TOKEN || DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' });

/** Calls the admin API; an unreachable stack or a refusal (with each field at fault) ends the command. */
export async function callAdmin(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl()}${path}`, { ...init, headers: headers() });
  } catch {
    fail(`Cannot reach the tier engine API at ${apiUrl()}: is the stack running (npm start)? Set API_URL to point elsewhere.`);
  }
  if (response.ok) return response;
  const answer = (await response.json().catch(() => ({}))) as { error?: string; message?: string; issues?: { path: string; message: string }[] };
  const issues = (answer.issues ?? []).map((issue) => `  ${issue.path}: ${issue.message}`);
  fail([`${init.method ?? 'GET'} ${path} → ${response.status} ${answer.error ?? ''}: ${answer.message ?? ''}`, ...issues].join('\n'));
}

/** The JSON answer of an admin API call. */
export async function callAdminJson(path: string, init: RequestInit = {}): Promise<any> {
  return (await callAdmin(path, init)).json();
}

/**
 * Polls a job (`GET path`) until it is no longer running, printing each change of its progress on stderr;
 * a failed job ends the command with its reason. Returns the finished job.
 */
export async function followJob(path: string, label: string): Promise<any> {
  const startedAt = Date.now();
  let lastLine = '';
  for (;;) {
    const job = await callAdminJson(path);
    const { phase, mapShardsDone, mapShards, reduceShardsDone, reduceShards } = job.progress;
    const line = `${label} ${job.status}: ${phase} — orders ${mapShardsDone}/${mapShards} shards, groups ${reduceShardsDone}/${reduceShards} shards`;
    if (line !== lastLine) console.error(line);
    lastLine = line;
    if (job.status === 'failed') fail(`${label} failed: ${job.error}`);
    if (job.status !== 'running') {
      console.error(`${label} finished in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
      return job;
    }
    await sleep(500);
  }
}

/** Every page of a job's rows as CSV (the header once), following the `link: rel="next"` headers. */
export async function fetchAllCsv(path: string): Promise<string> {
  let next: string | undefined = `${path}?format=csv`;
  let csv = '';
  while (next) {
    const response = await callAdmin(next);
    const text = await response.text();
    csv += csv === '' ? text : text.slice(text.indexOf('\r\n') + 2);
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  return csv;
}
