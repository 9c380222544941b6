import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { createSqsServer } from 'local-aws-sqs';
import sesLocal from 'aws-ses-v2-local';

export interface LocalServerOptions {
  /** Directory for DynamoDB data; omitted, the data lives in memory (tests). */
  dataDir?: string;
  dynamodbPort?: number;
  sqsPort?: number;
  sesPort?: number;
}

export interface LocalServers {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  sesEndpoint: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** The Express-based SES server has no injectable listener: on ESM its factory is the default's `.default`. */
type SesFactory = (config: { host: string; port: number }) => Promise<Server>;
const startSes: SesFactory = ((sesLocal as unknown as { default?: SesFactory }).default ?? (sesLocal as unknown as SesFactory));

/**
 * Starts the AWS-compatible servers the product needs (dynalite, local-aws-sqs, aws-ses-v2-local) on
 * loopback; port 0 picks a free port. SQS and SES hold their state in memory only.
 */
export async function startLocalServers(options: LocalServerOptions = {}): Promise<LocalServers> {
  let dynamoPath: string | undefined;
  if (options.dataDir) {
    dynamoPath = join(options.dataDir, 'dynamodb');
    mkdirSync(dynamoPath, { recursive: true });
  }
  const dynamo = dynalite({ path: dynamoPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await listen(dynamo, options.dynamodbPort ?? 0);
  const sqs = await createSqsServer({ port: options.sqsPort ?? 0, hostname: HOST, emulateQueueCreationLifecycle: false });
  const sqsPort = (sqs.address() as AddressInfo).port;
  const ses = await startSes({ host: HOST, port: options.sesPort ?? 0 });
  const sesPort = (ses.address() as AddressInfo).port;
  return {
    dynamodbEndpoint: `http://${HOST}:${dynamoPort}`,
    sqsEndpoint: `http://${HOST}:${sqsPort}`,
    sesEndpoint: `http://${HOST}:${sesPort}`,
    close: async () => {
      await Promise.all([closeServer(sqs), closeServer(ses)]);
      await closeServer(dynamo);
    },
  };
}
