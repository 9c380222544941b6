import type { TestProject } from 'vitest/node';
import { writeConsolePage } from '../../lib/console/build.js';
import { startLocalServers, type LocalServers } from '../../lib/local/servers.js';

let servers: LocalServers | undefined;

/** Starts one set of local AWS-compatible servers for the whole run; each test file gets its own tables. */
export async function setup(project: TestProject): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // The console function imports the built page: a fresh clone's tests build it as `npm start` does.
  writeConsolePage();
  servers = await startLocalServers();
  project.provide('endpoints', {
    dynamodbEndpoint: servers.dynamodbEndpoint,
    sqsEndpoint: servers.sqsEndpoint,
    sesEndpoint: servers.sesEndpoint,
  });
}

export async function teardown(): Promise<void> {
  await servers?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: { dynamodbEndpoint: string; sqsEndpoint: string; sesEndpoint: string };
  }
}
