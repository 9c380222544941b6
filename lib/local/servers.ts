import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSqsServer } from 'local-aws-sqs';
import sesLocal from 'aws-ses-v2-local';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { startSesSendEventsFront } from './ses-send-events.js';

export interface LocalServerOptions {
  /** Directory for DynamoDB data; omitted, the data lives in memory (tests). */
  dataDir?: string;
  dynamodbPort?: number;
  sqsPort?: number;
  sesPort?: number;
  /** An SES-compatible server to send through instead of starting one (the chaos suite's, which outlives the stack). */
  sesEndpoint?: string;
}

export interface LocalServers {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  sesEndpoint: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

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
 * Starts the SES-compatible server (its email viewer at `GET /store`) behind the front that publishes its
 * Send events (`GET /send-events`), on loopback; port 0 picks a free one. `port` is the front's.
 */
export async function startSesServer(port = 0): Promise<{ endpoint: string; close(): Promise<void> }> {
  const ses = await startSes({ host: HOST, port: 0 });
  const front = await startSesSendEventsFront(`http://${HOST}:${(ses.address() as AddressInfo).port}`, port);
  return { endpoint: front.endpoint, close: async () => void (await Promise.all([closeServer(front.server), closeServer(ses)])) };
}

/**
 * Starts the AWS-compatible servers the product needs (AWS's DynamoDB Local, local-aws-sqs,
 * aws-ses-v2-local) on loopback; port 0 picks a free port. SQS and SES hold their state in memory only.
 */
export async function startLocalServers(options: LocalServerOptions = {}): Promise<LocalServers> {
  const dynamo = await startDynamoDbLocal({ dataDir: options.dataDir && join(options.dataDir, 'dynamodb'), port: options.dynamodbPort });
  const sqs = await createSqsServer({ port: options.sqsPort ?? 0, hostname: HOST, emulateQueueCreationLifecycle: false });
  const sqsPort = (sqs.address() as AddressInfo).port;
  const ses = options.sesEndpoint ? undefined : await startSesServer(options.sesPort ?? 0);
  return {
    dynamodbEndpoint: dynamo.endpoint,
    sqsEndpoint: `http://${HOST}:${sqsPort}`,
    sesEndpoint: options.sesEndpoint ?? ses!.endpoint,
    close: async () => {
      await Promise.all([closeServer(sqs), ...(ses ? [ses.close()] : [])]);
      await dynamo.stop();
    },
  };
}
