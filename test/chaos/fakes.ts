import { createServer, request as httpRequest, type Server } from 'node:http';
import { buffer } from 'node:stream/consumers';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../lib/http/signature.js';

const HOST = '127.0.0.1';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, HOST, () => resolve(`http://${HOST}:${(server.address() as AddressInfo).port}`)));
}

/**
 * The ERP of §2.8 as the suite plays it: checks the signature, answers 503 while it is "down", and otherwise
 * acknowledges and applies each eventId once (it dedupes, as the spec asks of it), remembering every body
 * it acknowledged so a repeat with a different body would show.
 */
export async function startFakeErp(secret: string) {
  const acknowledged = new Map<string, string[]>();
  const state = { downForMs: 0, downUntil: 0, refused: 0, badSignatures: 0 };
  const server = createServer(async (request, response) => {
    const body = (await buffer(request)).toString('utf8');
    if (verifyWebhookSignature(request.headers['x-signature'] as string | undefined, body, secret) !== 'valid') {
      state.badSignatures++;
      response.writeHead(401).end();
      return;
    }
    if (state.downForMs > 0 && state.downUntil === 0) state.downUntil = Date.now() + state.downForMs; // the outage starts with the first call
    if (Date.now() < state.downUntil) {
      state.refused++;
      response.writeHead(503).end();
      return;
    }
    const { eventId } = JSON.parse(body) as { eventId: string };
    acknowledged.set(eventId, [...(acknowledged.get(eventId) ?? []), body]);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  const url = await listen(server);
  return {
    url: `${url}/tier-changes`,
    acknowledged,
    state,
    /** Goes down for `ms` from the next callback on. */
    failNext(ms: number) {
      state.downForMs = ms;
      state.downUntil = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const THROTTLED = `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>chaos</RequestId></ErrorResponse>`;

/**
 * A loopback proxy in front of the SES server that answers every other SendEmail call of a stretch with
 * SES's own throttling error (`Throttling`, "Maximum sending rate exceeded"), and can hold back SES's
 * answer to a send it took: the moment between SES's accept and the consumer's record, for a kill.
 */
export async function startThrottlingSesProxy(sesEndpoint: string) {
  const target = new URL(sesEndpoint);
  const state = { toThrottle: 0, throttled: 0, sends: 0 };
  let holding: { after: number; taken: number; reached: () => void } | undefined;
  const server = createServer(async (request, response) => {
    const body = await buffer(request);
    const isSend = body.includes('Action=SendEmail');
    if (isSend) state.sends++;
    if (isSend && state.toThrottle > 0 && state.sends % 2 === 0) {
      state.toThrottle--;
      state.throttled++;
      response.writeHead(400, { 'content-type': 'text/xml' }).end(THROTTLED);
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        if (isSend && answer.statusCode === 200 && holding && ++holding.taken >= holding.after) {
          // SES took it; its answer never reaches the consumer, whose connection dies with the kill.
          answer.resume();
          holding.reached();
          holding = undefined;
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.writeHead(502).end());
    upstream.end(body);
  });
  const url = await listen(server);
  return {
    url,
    state,
    /** Resolves once SES has taken `sends` more emails, holding back its answer to the last of them. */
    holdAnswerAfter(sends: number): Promise<void> {
      return new Promise((reached) => {
        holding = { after: sends, taken: 0, reached };
      });
    },
    /** Throttles every other SendEmail call until `count` have been throttled. */
    throttle(count: number) {
      state.toThrottle = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
