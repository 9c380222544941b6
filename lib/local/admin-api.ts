/**
 * What the command-line tools over the admin API share (`npm run recalc`, `simulate`, `report`): calls with
 * ADMIN_TOKEN that end the command with one line when the API refuses, following a job's progress until it
 * has finished, and reading a job's rows as CSV page by page.
 */
import { sleep } from '../concurrency.js';
import { apiBaseUrl, callApi, describeApiError, fail, type ApiAnswer } from './cli.js';
import { DEV_SECRETS } from './dev-secrets.js';

/** A job's progress as the admin API shows it. */
interface JobProgress {
  phase: string;
  mapShardsDone: number;
  mapShards: number;
  reduceShardsDone: number;
  reduceShards: number;
}

/** The admin API of the stack at API_URL (or PORT), for the command `name`. */
export function adminApi(name: string) {
  const base = apiBaseUrl(name);
  const headers = { authorization: `Bearer ${process.env.ADMIN_TOKEN || DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const refused = (what: string, detail: string): never => {
    const hint = detail.startsWith('401') ? '   (is ADMIN_TOKEN the admin token the stack runs with? npm start prints it)' : '';
    fail(name, `${what} → ${detail}${hint}`);
  };

  /** The JSON answer of a call; a refusal ends the command with its status, code and the fields at fault. */
  async function call(path: string, init: RequestInit = {}): Promise<ApiAnswer['body']> {
    const answer = await callApi(name, base, path, { ...init, headers });
    if (!answer.ok) refused(`${init.method ?? 'GET'} ${path}`, describeApiError(answer));
    return answer.body;
  }

  /**
   * Polls a job (`GET path`) until it is no longer running, handing each change of its progress line to
   * `print`; returns the finished job. With `stallSeconds`, a job whose progress line has not changed for
   * that long is handed to `onStall` instead (its tasks may be lost), which ends the command.
   */
  async function follow(path: string, print: (line: string) => void, stalled?: { stallSeconds: number; onStall: (job: any) => never }): Promise<any> {
    let lastLine = '';
    let lastProgressAt = Date.now();
    for (;;) {
      const job = await call(path);
      const { phase, mapShardsDone, mapShards, reduceShardsDone, reduceShards } = job.progress as JobProgress;
      const line = `${job.status}: ${phase} — orders ${mapShardsDone}/${mapShards} shards, groups ${reduceShardsDone}/${reduceShards} shards`;
      if (line !== lastLine) {
        print(line);
        lastProgressAt = Date.now();
      }
      lastLine = line;
      if (job.status !== 'running') return job;
      if (stalled && Date.now() - lastProgressAt > stalled.stallSeconds * 1000) stalled.onStall(job);
      await sleep(500);
    }
  }

  /** Every page of a job's rows as one CSV (the header once), following the `link: rel="next"` headers. */
  async function csvRows(path: string): Promise<string> {
    let next: string | undefined = `${path}?format=csv`;
    let csv = '';
    while (next) {
      const page: string = next;
      const response: Response = await fetch(`${base}${page}`, { headers }).catch((error: Error) => fail(name, `GET ${page} failed: ${error.message}`));
      if (!response.ok) refused(`GET ${page}`, `${response.status} ${await response.text()}`);
      const text = await response.text();
      csv += csv === '' ? text : text.slice(text.indexOf('\r\n') + 2);
      next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    }
    return csv;
  }

  return { call, follow, csvRows };
}
