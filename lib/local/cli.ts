/**
 * What every command-line tool of the local stack shares (`npm run recalc`, `npm run webhook`, ...): `--help`,
 * one-line errors that say what to do, exit codes (0 done, 1 failed, 2 wrong usage), and calls to the API of a
 * running stack that turn "nothing listens there" or "that is not our API" into a sentence.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
type ParsedResults<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/** Exit code of a command whose arguments or input were wrong (as opposed to 1, the work failed). */
export const USAGE_ERROR = 2;

/** A command-line tool: how it is invoked and what it prints for `--help`. */
export interface CliSpec<Options extends ParseArgsOptionsConfig> {
  /** Its short name, the prefix of its error lines, e.g. `recalc`. */
  readonly name: string;
  /** How a person types it, e.g. `npm run recalc --`. */
  readonly command: string;
  /** The help text, printed for `--help`/`-h`: synopsis, options, environment. */
  readonly help: string;
  readonly options: Options;
  /** How many positional arguments it takes. */
  readonly positionals?: { readonly min: number; readonly max: number };
}

/** Prints one line on stderr, prefixed with the tool's name, and exits with `code`. */
export function fail(name: string, message: string, code = 1): never {
  console.error(`${name}: ${message}`);
  process.exit(code);
}

/**
 * Parses argv against the spec; `--help` prints the help text and exits 0, an unknown option or a wrong number
 * of arguments prints one line pointing at `--help` and exits 2.
 */
export function parseCommandLine<Options extends ParseArgsOptionsConfig>(spec: CliSpec<Options>, argv = process.argv.slice(2)) {
  const options = { ...spec.options, help: { type: 'boolean', short: 'h' } } as const satisfies ParseArgsOptionsConfig;
  type Config = { args: string[]; options: typeof options; allowPositionals: true; strict: true };
  let parsed: ParsedResults<Config>;
  try {
    parsed = parseArgs<Config>({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    fail(spec.name, `${describeArgumentError(error as Error)} (see ${spec.command} --help)`, USAGE_ERROR);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(spec.help.trim());
    process.exit(0);
  }
  const { min = 0, max = 0 } = spec.positionals ?? {};
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    fail(spec.name, `expects ${expected} argument(s), got ${parsed.positionals.length} (see ${spec.command} --help)`, USAGE_ERROR);
  }
  return parsed;
}

function describeArgumentError(error: Error): string {
  const unknown = /Unknown option '([^']+)'/.exec(error.message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missingValue = /Option '([^']+)' argument missing/.exec(error.message);
  if (missingValue) return `option ${missingValue[1]} needs a value`;
  return error.message.split('\n')[0]!.replace(/\.$/, '');
}

/** Base URL of the stack's API: API_URL, else http://localhost:$PORT (3000), as `npm start` serves it. */
export function apiBaseUrl(name: string): string {
  const base = process.env.API_URL || `http://localhost:${process.env.PORT || 3000}`;
  if (!URL.canParse(base)) fail(name, `API_URL ${base} is not a URL (e.g. http://localhost:3000)`, USAGE_ERROR);
  return base.replace(/\/+$/, '');
}

/** An answer of the API: its status and its JSON body. */
export interface ApiAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly body: any;
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Calls the tier engine API. A refused connection, an unknown host, a timeout or an answer that is not the
 * API's JSON (another server on that port) ends the command with one line that names the URL and what to do.
 */
export async function callApi(name: string, base: string, path: string, init: RequestInit = {}): Promise<ApiAnswer> {
  let response: Response;
  let text: string;
  // A timer of our own, not AbortSignal.timeout: that one does not keep the process alive, and a server that
  // hangs up mid-request can leave fetch waiting with nothing else to wait for.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException('timed out', 'TimeoutError')), REQUEST_TIMEOUT_MS);
  try {
    response = await fetch(`${base}${path}`, { ...init, signal: timeout.signal });
    text = await response.text();
  } catch (error) {
    fail(name, describeConnectionError(base, error as Error));
  } finally {
    clearTimeout(timer);
  }
  const notOurApi = (what: string) =>
    fail(name, `${base} answered ${response.status} with ${what}, not the tier engine API: set PORT (or API_URL) to the API port that npm start printed`);
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) notOurApi(contentType.split(';')[0] || 'no content type');
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    notOurApi('a body that is not JSON');
  }
  // Every refusal of ours is {"error": "<code>", "message", "issues"}.
  if (!response.ok && typeof body?.error !== 'string') notOurApi(`${text.slice(0, 60)}${text.length > 60 ? '…' : ''}`);
  return { status: response.status, ok: response.ok, body };
}

function describeConnectionError(base: string, error: Error): string {
  if (error.name === 'TimeoutError') {
    return `${base} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s: is PORT (or API_URL) the API port that npm start printed?`;
  }
  const code = (error.cause as { code?: string } | undefined)?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return `no local stack answers at ${base}: start it with npm start (in another terminal), or set PORT (or API_URL) to the port it listens on`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of ${base}: check API_URL`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `${base} closed the connection: is PORT (or API_URL) the API port that npm start printed?`;
    default:
      return `cannot reach ${base} (${code || error.message}): is the local stack running (npm start)?`;
  }
}

/** One line for an API error body: `422 validation_failed: 1 invalid field(s)… (asOf: must be …)`. */
export function describeApiError(answer: ApiAnswer): string {
  const { error, message, issues } = (answer.body ?? {}) as { error?: string; message?: string; issues?: { path: string; message: string }[] };
  const detail = issues && issues.length > 0 ? ` (${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')})` : '';
  return `${answer.status} ${error ?? 'error'}: ${message ?? JSON.stringify(answer.body)}${detail}`;
}

/**
 * Reads a request body given on the command line: `-` is stdin, text starting with `{` or `[` is inline JSON,
 * anything else is a file path that must exist (a mistyped path is an error, never sent as the body).
 */
export function readBodyArgument(name: string, source: string): string {
  if (source === '-') return readFileSync(0, 'utf8');
  if (/^\s*[[{]/.test(source)) return source;
  if (!existsSync(source)) {
    fail(name, `file not found: ${source} (give a JSON file, inline JSON starting with {, or - for stdin)`, USAGE_ERROR);
  }
  if (!statSync(source).isFile()) fail(name, `${source} is not a file`, USAGE_ERROR);
  return readFileSync(source, 'utf8');
}
