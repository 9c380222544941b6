/**
 * `npm run program -- show | versions | set <file> --effective-from YYYY-MM-DD`: reads and changes the tier
 * program of a running stack through the admin API (GET/PUT /admin/program). API_URL (default
 * http://localhost:3000) and ADMIN_TOKEN (default: the dev token) pick the target.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEV_SECRETS } from './stack.js';

const USAGE = `usage:
  npm run program -- show                                    the version in effect today (stderr) and its program (stdout)
  npm run program -- versions                                every version, newest first
  npm run program -- set <file.json> --effective-from YYYY-MM-DD
                                                             store a new version from a program file
env: API_URL (default http://localhost:$PORT or :3000), ADMIN_TOKEN (default: the dev token)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'effective-from': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const apiUrl = process.env.API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const headers = { authorization: `Bearer ${process.env.ADMIN_TOKEN || DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' };

function fail(message: string, exitCode = 1): never {
  console.error(message);
  process.exit(exitCode);
}

/** Calls the admin API; an unreachable stack or a refusal ends the CLI with one clear message. */
async function call(method: 'GET' | 'PUT', body?: unknown): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/admin/program`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    fail(`Cannot reach the tier engine API at ${apiUrl}: is the stack running (npm start)? Set API_URL to point elsewhere.`);
  }
  const answer = (await response.json()) as any;
  if (response.ok) return answer;
  const issues = (answer.issues ?? []) as { path: string; message: string }[];
  fail([`${method} /admin/program → ${response.status} ${answer.error}: ${answer.message}`, ...issues.map((issue) => `  ${issue.path}: ${issue.message}`)].join('\n'));
}

const [command, file] = positionals;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (command === 'show') {
  const current = await call('GET');
  console.error(`program version ${current.version}, effective from ${current.effectiveFrom} (in effect today)`);
  console.log(JSON.stringify(current.program, null, 2));
} else if (command === 'versions') {
  const current = await call('GET');
  for (const version of current.versions as { version: number; effectiveFrom: string; createdAt: string | null }[]) {
    const marker = version.version === current.version ? '   <- in effect today' : '';
    console.log(`${String(version.version).padStart(4)}  effective from ${version.effectiveFrom}  stored ${version.createdAt ?? '(not yet: the deployed program)'}${marker}`);
  }
} else if (command === 'set' && file && values['effective-from']) {
  let program: unknown;
  try {
    program = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`Cannot read the program file ${file}: ${(error as Error).message}`, 2);
  }
  const stored = await call('PUT', { effectiveFrom: values['effective-from'], program });
  console.log(`stored program version ${stored.version}, effective from ${stored.effectiveFrom}`);
} else {
  fail(USAGE, 2);
}
