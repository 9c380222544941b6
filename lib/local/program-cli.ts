/**
 * `npm run program -- show | versions | set <file> --effective-from YYYY-MM-DD`: reads and changes the tier
 * program of a running stack through the admin API (GET/PUT /admin/program).
 */
import { apiBaseUrl, callApi, describeApiError, fail, parseCommandLine, readBodyArgument, USAGE_ERROR } from './cli.js';
import { DEV_SECRETS } from './dev-secrets.js';

const NAME = 'program';
const COMMAND = 'npm run program --';

const { values, positionals } = parseCommandLine({
  name: NAME,
  command: COMMAND,
  options: { 'effective-from': { type: 'string' } },
  positionals: { min: 1, max: 2 },
  help: `
Usage: ${COMMAND} show                                    the version in effect today (stderr) and its program (stdout)
       ${COMMAND} versions                                every version, newest first
       ${COMMAND} set <file.json> --effective-from YYYY-MM-DD
                                                             store a new version from a program file

Exits 0 when done, 1 when the API refused (each bad field is named), 2 for wrong arguments.

Environment:
  PORT         port of the local stack's API (default 3000)
  API_URL      full base URL instead (e.g. http://localhost:3100)
  ADMIN_TOKEN  the admin token the stack runs with (default: the dev token npm start prints)
`,
});
const base = apiBaseUrl(NAME);
const headers = { authorization: `Bearer ${process.env.ADMIN_TOKEN || DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' };

/** Calls the admin API; an unreachable stack or a refusal ends the CLI with one line. */
async function call(method: 'GET' | 'PUT', body?: unknown): Promise<any> {
  const answer = await callApi(NAME, base, '/admin/program', { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (answer.ok) return answer.body;
  fail(NAME, `${method} /admin/program → ${describeApiError(answer)}`);
}

const [command, file] = positionals;
if (command === 'show' && !file) {
  const current = await call('GET');
  console.error(`program version ${current.version}, effective from ${current.effectiveFrom} (in effect today)`);
  console.log(JSON.stringify(current.program, null, 2));
} else if (command === 'versions' && !file) {
  const current = await call('GET');
  for (const version of current.versions as { version: number; effectiveFrom: string; createdAt: string | null }[]) {
    const marker = version.version === current.version ? '   <- in effect today' : '';
    console.log(`${String(version.version).padStart(4)}  effective from ${version.effectiveFrom}  stored ${version.createdAt ?? '(not yet: the deployed program)'}${marker}`);
  }
} else if (command === 'set' && file && values['effective-from']) {
  const text = readBodyArgument(NAME, file);
  let program: unknown;
  try {
    program = JSON.parse(text);
  } catch (error) {
    fail(NAME, `${file} is not JSON: ${(error as Error).message}`, USAGE_ERROR);
  }
  const stored = await call('PUT', { effectiveFrom: values['effective-from'], program });
  console.log(`stored program version ${stored.version}, effective from ${stored.effectiveFrom}`);
} else {
  fail(NAME, `give show, versions, or set <file.json> --effective-from YYYY-MM-DD (see ${COMMAND} --help)`, USAGE_ERROR);
}
