import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbLocalError, startDynamoDbLocal } from '../../../lib/local/dynamodb-local.js';

describe('starting DynamoDB Local', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('fails with what to install when no java is on the PATH', async () => {
    process.env.PATH = '/nonexistent';
    const failure = startDynamoDbLocal().catch((error: unknown) => error);
    await expect(failure).resolves.toBeInstanceOf(DynamoDbLocalError);
    await expect(failure).resolves.toMatchObject({ message: expect.stringMatching(/needs Java 17 or later.*apt-get install openjdk-17-jre-headless/) });
  });

  it('runs the Java server in memory with telemetry off, and stops it with the stack', async () => {
    const server = await startDynamoDbLocal();
    const port = new URL(server.endpoint).port;
    const javaOfPort = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.startsWith('java ') && line.includes(`-port ${port}`));
    try {
      expect(javaOfPort()).toEqual([expect.stringMatching(/-disableTelemetry .*-inMemory/)]);
    } finally {
      await server.stop();
    }
    expect(javaOfPort()).toEqual([]);
  }, 130_000);
});
