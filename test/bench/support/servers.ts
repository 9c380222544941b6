import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalStack } from '../../../lib/local/stack.js';

export type Endpoints = LocalStack['endpoints'];

/** Starts the local servers in a child process; `stop()` ends it. */
export async function startServersProcess(): Promise<{ endpoints: Endpoints; stop(): void }> {
  const child = fork(fileURLToPath(new URL('./server-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const endpoints = await new Promise<Endpoints>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Endpoints));
    child.once('exit', (code) => reject(new Error(`local servers exited with ${code}`)));
  });
  return { endpoints, stop: () => child.disconnect() };
}

/** Seconds since `start` (a performance.now() reading), to 3 decimals. */
export const secondsSince = (start: number) => Math.round(performance.now() - start) / 1000;
