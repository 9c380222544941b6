import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../lib/local/preflight.js';
import { testStack } from '../support/local-stack.js';
import { closedPort } from '../support/ports.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool of lib/local as `npm run` does (tsx), with only the environment given (plus PATH). */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'lib/local', script), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

const occupied: Server[] = [];
/** A port the test keeps busy until the file ends (another program: it hangs up on whoever connects). */
async function busyPort(): Promise<number> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  occupied.push(server);
  return (server.address() as { port: number }).port;
}
afterAll(async () => {
  await Promise.all(occupied.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Expects a failure told in exactly one line on stderr, nothing on stdout, and the exit code. */
function expectOneLineFailure(outcome: Outcome, code: number, pattern: RegExp): void {
  expect(outcome.stdout).toBe('');
  expect(lines(outcome.stderr), outcome.stderr).toHaveLength(1);
  expect(outcome.stderr).toMatch(pattern);
  expect(outcome.code).toBe(code);
}

describe('npm run recalc and npm run webhook', () => {
  it('--help prints the usage and exits 0', async () => {
    for (const script of ['recalc-cli.ts', 'send-webhook.ts']) {
      const outcome = await run(script, ['--help']);
      expect(outcome.code, script).toBe(0);
      expect(outcome.stdout, script).toMatch(/^Usage: npm run (recalc|webhook) --/);
      expect(outcome.stdout, script).toMatch(/PORT/);
      expect(outcome.stderr, script).toBe('');
    }
  });

  it('an unknown option or missing arguments: one line pointing at --help, exit 2', async () => {
    expectOneLineFailure(await run('recalc-cli.ts', ['--asof', '2026-11-21']), 2, /^recalc: unknown option --asof \(see npm run recalc -- --help\)$/m);
    expectOneLineFailure(await run('recalc-cli.ts', []), 2, /^recalc: give one of --as-of YYYY-MM-DD, --run <runId> or --resume <runId>/);
    expectOneLineFailure(await run('send-webhook.ts', ['orders']), 2, /^webhook: expects 2 argument\(s\), got 1 \(see npm run webhook -- --help\)$/m);
    expectOneLineFailure(await run('send-webhook.ts', ['invoices', '{}']), 2, /^webhook: unknown kind "invoices"/);
  });

  it('a mistyped file path is an error naming the file, never sent as the body', async () => {
    const outcome = await run('send-webhook.ts', ['orders', 'test/fixtures/webhooks/ordrs.json'], { API_URL: testStack().url });
    expectOneLineFailure(outcome, 2, /^webhook: file not found: test\/fixtures\/webhooks\/ordrs\.json \(give a JSON file, inline JSON starting with \{, or - for stdin\)$/m);
  });

  it('a stack that is not running: one line that says to start it or fix PORT, exit 1', async () => {
    const port = await closedPort();
    const pattern = new RegExp(`no local stack answers at http://localhost:${port}: start it with npm start`);
    expectOneLineFailure(await run('recalc-cli.ts', ['--as-of', '2026-11-21'], { PORT: String(port) }), 1, pattern);
    expectOneLineFailure(await run('send-webhook.ts', ['groups', 'test/fixtures/webhooks/groups.json'], { PORT: String(port) }), 1, pattern);
  });

  it('a port where another server answers (the SES server): one line that it is not the tier engine API, exit 1', async () => {
    const sesUrl = testStack().endpoints.sesEndpoint;
    const pattern = /not the tier engine API: set PORT \(or API_URL\) to the API port that npm start printed/;
    expectOneLineFailure(await run('send-webhook.ts', ['groups', 'test/fixtures/webhooks/groups.json'], { API_URL: sesUrl }), 1, pattern);
    expectOneLineFailure(await run('recalc-cli.ts', ['--run', 'x'], { API_URL: sesUrl }), 1, pattern);
  });

  it('a signed file is posted and answered as the README shows: the status and the answer on one line, exit 0', async () => {
    const outcome = await run('send-webhook.ts', ['groups', 'test/fixtures/webhooks/groups.json'], { API_URL: testStack().url });
    expect(outcome).toEqual({ code: 0, stdout: '202 {"accepted":1,"unchanged":0}\n', stderr: '' });
  });

  it('refusals of the API are one line: the webhook status with a hint for a wrong secret, the recalc error with the field', async () => {
    const wrongSecret = await run('send-webhook.ts', ['groups', '{"groups":[]}'], { API_URL: testStack().url, WEBHOOK_SECRET: 'not-the-secret-of-the-stack' });
    expect(wrongSecret.code).toBe(1);
    expect(lines(wrongSecret.stdout)).toEqual([expect.stringMatching(/^401 \{"error":"unauthorized".*is WEBHOOK_SECRET the secret the stack runs with/)]);
    expectOneLineFailure(
      await run('recalc-cli.ts', ['--as-of', '2026-13-01'], { API_URL: testStack().url }),
      1,
      /^recalc: POST \/admin\/recalculate → 422 validation_failed: 1 invalid field\(s\); no run was started \(asOf: must be a business date YYYY-MM-DD\)$/m,
    );
    expectOneLineFailure(await run('recalc-cli.ts', ['--run', 'nope'], { API_URL: testStack().url }), 1, /^recalc: GET \/admin\/runs\/nope → 404 not_found: No run has the id "nope": run ids look like \d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/m);
  });
});

describe('npm start checks its ports and data directory before it starts anything', () => {
  it('a taken PORT: names it and a free port to use instead, exit 1', async () => {
    const port = await busyPort();
    const outcome = await run('start.ts', [], { PORT: String(port), SES_PORT: String(await closedPort()), DATA_DIR: mkdtempSync(join(tmpdir(), 'tier-start-')) });
    expectOneLineFailure(outcome, 1, new RegExp(`^npm start: port ${port} \\(PORT, the HTTP API\\) is taken by another program: stop it, or choose another, e.g. PORT=\\d+ npm start$`, 'm'));
  });

  it('a taken SES_PORT: names it the same way', async () => {
    const port = await busyPort();
    const outcome = await run('start.ts', [], { PORT: String(await closedPort()), SES_PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'tier-start-')) });
    expectOneLineFailure(outcome, 1, new RegExp(`^npm start: port ${port} \\(SES_PORT, the SES server and email viewer\\) is taken by another program`, 'm'));
  });

  it('the PORT of a running local stack: says a local stack runs there', async () => {
    const stackPort = new URL(testStack().url).port;
    const outcome = await run('start.ts', [], { PORT: stackPort, SES_PORT: String(await closedPort()), DATA_DIR: mkdtempSync(join(tmpdir(), 'tier-start-')) });
    expectOneLineFailure(outcome, 1, /is taken by another local stack \(Ctrl-C it in its terminal\)/);
  });

  it('a DATA_DIR another live stack holds: names the directory, the pid and how to use another, exit 1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tier-start-'));
    writeFileSync(join(dataDir, LOCK_FILE), `${process.pid}\n`); // this test process is alive: it holds the lock
    const outcome = await run('start.ts', [], { PORT: String(await closedPort()), SES_PORT: String(await closedPort()), DATA_DIR: dataDir });
    expectOneLineFailure(outcome, 1, new RegExp(`^npm start: DATA_DIR ${dataDir} is in use by another local stack \\(pid ${process.pid}\\): .*DATA_DIR=${dataDir}-2 npm start`, 'm'));
  });

  it('a port that is not a number, or the same port twice: one line', async () => {
    expectOneLineFailure(await run('start.ts', [], { PORT: 'abc' }), 1, /^npm start: PORT=abc is not a port number \(1–65535\)$/m);
    const port = String(await closedPort());
    expectOneLineFailure(await run('start.ts', [], { PORT: port, SES_PORT: port }), 1, /^npm start: PORT and SES_PORT are both \d+: give the SES server and email viewer a port of its own$/m);
  });
});
