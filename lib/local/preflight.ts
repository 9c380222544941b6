/**
 * Checks `npm start` makes before it starts anything: the ports it must listen on are free and no other local
 * stack uses its data directory. Each failure is one sentence naming the port or directory and how to pick
 * another, instead of a server's stack trace halfway through the start.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** A problem that stops the start; its message is the one line shown to the person. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** A port `npm start` listens on, named by the env var that chooses it. */
export interface RequiredPort {
  readonly envVar: string;
  readonly port: number;
  /** What listens there, e.g. "the HTTP API". */
  readonly what: string;
}

const HOST = '127.0.0.1';

/** Reads a port from the environment: unset gives the default, anything but 1–65535 is a StartupError. */
export function portFromEnv(envVar: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[envVar];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new StartupError(`${envVar}=${raw} is not a port number (1–65535)`);
  return port;
}

function tryListen(port: number): Promise<'free' | 'in-use' | 'denied'> {
  return new Promise((resolveResult, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolveResult('in-use');
      else if (error.code === 'EACCES') resolveResult('denied');
      else reject(error);
    });
    probe.listen(port, HOST, () => probe.close(() => resolveResult('free')));
  });
}

async function freePortNear(port: number, taken: ReadonlySet<number>): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(port + 50, 65535); candidate++) {
    if (!taken.has(candidate) && (await tryListen(candidate)) === 'free') return candidate;
  }
  return undefined;
}

/** Whether a tier engine local stack answers on the port (its /health speaks our JSON). */
function isLocalStack(port: number): Promise<boolean> {
  return new Promise((resolveResult) => {
    const request = get({ host: HOST, port, path: '/health', timeout: 3000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          const parts = (JSON.parse(body) as { parts?: unknown }).parts;
          resolveResult(typeof parts === 'object' && parts !== null);
        } catch {
          resolveResult(false);
        }
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolveResult(false));
  });
}

/**
 * Fails with one line for the first port that is the same as another, taken or not allowed, naming its env
 * var and a free port to use instead.
 */
export async function checkPortsFree(ports: readonly RequiredPort[]): Promise<void> {
  const wanted = new Set(ports.map((entry) => entry.port));
  ports.forEach((entry, index) => {
    const clash = ports.slice(0, index).find((other) => other.port === entry.port);
    if (clash) throw new StartupError(`${clash.envVar} and ${entry.envVar} are both ${entry.port}: give ${entry.what} a port of its own`);
  });
  for (const entry of ports) {
    const outcome = await tryListen(entry.port);
    if (outcome === 'free') continue;
    const label = `port ${entry.port} (${entry.envVar}, ${entry.what})`;
    if (outcome === 'denied') {
      throw new StartupError(`${label} needs privileges this user lacks: choose a port above 1023, e.g. ${entry.envVar}=${entry.port + 3000} npm start`);
    }
    const suggestion = await freePortNear(entry.port, wanted);
    const how = suggestion ? `choose another, e.g. ${entry.envVar}=${suggestion} npm start` : `choose another with ${entry.envVar}=<port> npm start`;
    const who = (await isLocalStack(entry.port)) ? 'another local stack (Ctrl-C it in its terminal)' : 'another program';
    throw new StartupError(`${label} is taken by ${who}: stop it, or ${how}`);
  }
}

/** The lock of a data directory held by this process; `release()` gives it back (idempotent). */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Name of the lock file inside DATA_DIR: it holds the pid of the stack that uses the directory. */
export const LOCK_FILE = 'local-stack.pid';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes DATA_DIR for this process: creates it, and writes our pid to its lock file unless a live process
 * holds it already (then a StartupError says which and how to use another directory). A lock left by a
 * stack that died is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const directory = resolve(dataDir);
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw new StartupError(`DATA_DIR ${directory} cannot be created (${(error as NodeJS.ErrnoException).code}): choose another, e.g. DATA_DIR=/tmp/tier-data npm start`);
  }
  const path = join(directory, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new StartupError(`DATA_DIR ${directory} is not writable (${code}): choose another, e.g. DATA_DIR=/tmp/tier-data npm start`);
    }
    const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
      throw new StartupError(
        `DATA_DIR ${directory} is in use by another local stack (pid ${holder}): stop that one, or give this one its own ` +
          `directory, e.g. DATA_DIR=${directory}-2 npm start (no stack running? delete ${path})`,
      );
    }
    if (attempt > 0) throw new StartupError(`DATA_DIR ${directory}: cannot take ${path}; delete it and start again`);
    unlinkSync(path); // left by a stack that died: take it over
  }
  let held = true;
  return {
    path,
    release: () => {
      if (!held) return;
      held = false;
      try {
        if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}
