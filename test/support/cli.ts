import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalStack } from '../../lib/local/stack.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs one of the npm command-line tools (`lib/local/<file>`) against a stack, as `npm run …` would. */
export function runCli(stack: LocalStack, file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `lib/local/${file}`, ...args],
      { cwd: root, env: { ...process.env, API_URL: stack.url, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
