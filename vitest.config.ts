import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' };

export default defineConfig({
  test: {
    pool: 'forks',
    // Integration files mostly wait on the local servers: three at once on 2 cores took the suite from
    // 522 s to 325 s here (vitest's default would be one worker per core less one).
    maxWorkers: Math.max(3, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // Handlers against the local AWS-compatible servers: one set of servers per run, own tables per file.
        // The console's tests drive headless Chromium against the same kind of stack (one browser per file).
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/infra/**/*.test.ts', 'test/console/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/stack-setup.ts'],
        },
      },
    ],
  },
});
