import { createServer, request as httpRequest, type Server } from 'node:http';
import { buffer } from 'node:stream/consumers';
import type { AddressInfo } from 'node:net';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sleep } from '../concurrency.js';

/**
 * SES's configuration-set event publishing, which aws-ses-v2-local lacks, played on one machine. A loopback
 * front of the SES server passes every request through; for each send SES took that names a configuration
 * set, it keeps the Send event SES would publish (with the send's message tags) for a day and serves them at
 * `GET /send-events?after=<seq>`. The local stack forwards them to the `email-send-events` queue, as SNS does
 * on AWS. The events live with the SES server, so a stack killed mid-send finds them again when it restarts.
 */

const HOST = '127.0.0.1';
const KEPT_FOR_MS = 24 * 3600_000;

/** A Send event as the front keeps it: its place in the order, when SES took the email, and the JSON body SES publishes. */
export interface KeptSendEvent {
  seq: number;
  at: number;
  body: string;
}

interface SendRequest {
  configurationSet: string | undefined;
  tags: Record<string, string[]>;
  source: string;
  destination: string[];
}

/** Reads an SES v1 (query protocol) send request, the one the product makes; undefined for anything that sends nothing. */
function sendRequestOf(body: string): SendRequest | undefined {
  const form = new URLSearchParams(body);
  if (form.get('Action') !== 'SendEmail' && form.get('Action') !== 'SendRawEmail') return undefined;
  const tags: Record<string, string[]> = {};
  for (let n = 1; form.has(`Tags.member.${n}.Name`); n++) tags[form.get(`Tags.member.${n}.Name`)!] = [form.get(`Tags.member.${n}.Value`) ?? ''];
  const destination: string[] = [];
  for (let n = 1; form.has(`Destination.ToAddresses.member.${n}`); n++) destination.push(form.get(`Destination.ToAddresses.member.${n}`)!);
  return { configurationSet: form.get('ConfigurationSetName') ?? undefined, tags, source: form.get('Source') ?? '', destination };
}

/** The message id in SES's (XML) answer to a send. */
function messageIdOf(answer: string): string | undefined {
  return /<MessageId>([^<]+)<\/MessageId>/.exec(answer)?.[1];
}

/**
 * Starts the front on `port` (0 picks one) before the SES server at `upstream`; every request but
 * `GET /send-events` is passed through unchanged.
 */
export async function startSesSendEventsFront(upstream: string, port = 0): Promise<{ endpoint: string; server: Server }> {
  const target = new URL(upstream);
  const kept: KeptSendEvent[] = [];
  let seq = 0;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', `http://${HOST}`);
    if (request.method === 'GET' && url.pathname === '/send-events') {
      const after = Number(url.searchParams.get('after') ?? 0);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ events: kept.filter((event) => event.seq > after) }));
      return;
    }
    const body = await buffer(request);
    const send = request.method === 'POST' ? sendRequestOf(body.toString('utf8')) : undefined;
    const upstreamRequest = httpRequest(
      { host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const answerBody = Buffer.concat(chunks);
          const messageId = messageIdOf(answerBody.toString('utf8'));
          if (send?.configurationSet && answer.statusCode === 200 && messageId) {
            const now = Date.now();
            while (kept.length > 0 && now - kept[0]!.at > KEPT_FOR_MS) kept.shift();
            kept.push({ seq: ++seq, at: now, body: sendEventBody(send, messageId, now) });
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBody);
        });
      },
    );
    upstreamRequest.on('error', () => response.writeHead(502).end());
    upstreamRequest.end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  return { endpoint: `http://${HOST}:${(server.address() as AddressInfo).port}`, server };
}

/** The Send event SES publishes for a send it took, with the tags SES adds itself. */
function sendEventBody(send: SendRequest, messageId: string, at: number): string {
  return JSON.stringify({
    eventType: 'Send',
    mail: {
      timestamp: new Date(at).toISOString(),
      source: send.source,
      messageId,
      destination: send.destination,
      tags: { 'ses:configuration-set': [send.configurationSet], ...send.tags },
    },
    send: {},
  });
}

/**
 * Moves the Send events the SES front kept after `after` to the queue, newest first (after a restart, the
 * events a waiting retry needs are the latest); returns the last one kept once all are moved. SES or SQS
 * not answering leaves the cursor where it was, for the next call, which moves them again.
 */
export async function forwardSesSendEventsOnce(sesEndpoint: string, sqs: SQSClient, queueUrl: string, after: number): Promise<number> {
  const response = await fetch(`${sesEndpoint}/send-events?after=${after}`);
  if (!response.ok) throw new Error(`SES send events: HTTP ${response.status}`);
  const { events } = (await response.json()) as { events: KeptSendEvent[] };
  const newestFirst = [...events].reverse();
  for (let start = 0; start < newestFirst.length; start += 10) {
    const chunk = newestFirst.slice(start, start + 10);
    const { Failed } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((event) => ({ Id: String(event.seq), MessageBody: event.body })) }));
    if (Failed && Failed.length > 0) throw new Error(`SQS refused ${Failed.length} SES send event(s): ${Failed[0]!.Message}`);
  }
  return events.length > 0 ? events[events.length - 1]!.seq : after;
}

/**
 * Forwards SES's Send events to the queue every `intervalMs` while the stack runs, starting from the
 * oldest the SES server keeps: events a killed stack had taken into its in-memory queue come again, and
 * recording them twice changes nothing.
 */
export function startSesSendEventForwarder(sesEndpoint: string, sqs: SQSClient, queueUrl: string, intervalMs = 500): { stop(): Promise<void> } {
  let cursor = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      cursor = await forwardSesSendEventsOnce(sesEndpoint, sqs, queueUrl, cursor).catch(() => cursor);
      await sleep(intervalMs);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
