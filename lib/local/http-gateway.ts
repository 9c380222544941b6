import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../http/api.js';
import { malformedPath, notFound, payloadTooLarge, type HttpError } from '../http/errors.js';
import { decodePathSegment } from '../http/path-parameters.js';
import { logger } from '../observability.js';
import type { RouteDefinition } from '../infra/routes.js';
import { invokeLocally, lambdaContext } from './lambda-context.js';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameterNames: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), parameterNames };
}

/** The API Gateway HTTP API (payload 2.0) event for a request, as AWS builds it. */
export function apiGatewayEvent(input: {
  method: string;
  path: string;
  rawQueryString: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  routeKey: string;
  pathParameters?: Record<string, string>;
  sourceIp?: string;
}): APIGatewayProxyEventV2 {
  const query = new URLSearchParams(input.rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
  const contentType = input.headers['content-type'] ?? '';
  // Text arrives as text; other bodies, and "text" that is not valid UTF-8, base64-encoded: exact bytes either way.
  const textType = /^(text\/|application\/([\w.+-]+\+)?(json|xml|x-www-form-urlencoded))/i.test(contentType) || contentType === '';
  const textual = textType && (!input.body || isUtf8(input.body));
  const now = new Date();
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.path,
    rawQueryString: input.rawQueryString,
    headers: input.headers,
    ...(input.rawQueryString ? { queryStringParameters } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: input.headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: input.method,
        path: input.path,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: input.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: input.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(input.body && input.body.length > 0
      ? { body: textual ? input.body.toString('utf8') : input.body.toString('base64'), isBase64Encoded: !textual }
      : { isBase64Encoded: false }),
  };
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.statusCode, { error: error.code, message: error.message, issues: error.issues });
}

/** The route's path parameters, percent-decoded as API Gateway does, or the name of the first malformed one. */
function pathParametersOf(names: readonly string[], groups: RegExpExecArray): { ok: true; parameters: Record<string, string> } | { ok: false; malformed: string } {
  const parameters: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const value = decodePathSegment(groups[i + 1]!);
    if (value === undefined) return { ok: false, malformed: name };
    parameters[name] = value;
  }
  return { ok: true, parameters };
}

/** Reads a body up to the limit; past it, the request is answered 413 and its body never buffered. */
function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.removeAllListeners('data');
        request.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export interface GatewayOptions {
  routes: readonly RouteDefinition[];
  /** Loads the handler serving a route's function (the same module Lambda runs). */
  loadHandler: (functionName: string) => Promise<HttpHandler>;
  /** Answers GET /health: true when every part of the stack is ready. */
  health?: () => Promise<Record<string, boolean>>;
}

/**
 * The local stand-in for API Gateway: matches a route, builds the payload 2.0 event, invokes the Lambda
 * handler in-process and writes its result. Bodies over 1 MiB are refused with 413, as the handler would.
 */
export function createHttpGateway(options: GatewayOptions): Server {
  const compiled = options.routes.map(compile);
  return createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = request.method ?? 'GET';
      if (method === 'GET' && url.pathname === '/health' && options.health) {
        const parts = await options.health();
        const ready = Object.values(parts).every(Boolean);
        sendJson(response, ready ? 200 : 503, { status: ready ? 'ok' : 'starting', parts });
        return;
      }
      const match = compiled
        .filter((candidate) => candidate.route.method === method)
        .map((candidate) => ({ candidate, groups: candidate.pattern.exec(url.pathname) }))
        .find((found) => found.groups);
      if (!match || !match.groups) {
        sendError(response, notFound(`No route for ${method} ${url.pathname}`));
        return;
      }
      const { route, parameterNames } = match.candidate;
      const decoded = pathParametersOf(parameterNames, match.groups);
      if (!decoded.ok) {
        sendError(response, malformedPath(decoded.malformed));
        return;
      }
      const body = await readBody(request);
      if (body === 'too-large') {
        response.setHeader('connection', 'close');
        sendError(response, payloadTooLarge(MAX_BODY_BYTES));
        return;
      }
      const event = apiGatewayEvent({
        method,
        path: url.pathname,
        rawQueryString: url.search.slice(1),
        headers: headersOf(request),
        body,
        routeKey: `${route.method} ${route.path}`,
        ...(parameterNames.length > 0 ? { pathParameters: decoded.parameters } : {}),
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      });
      const handler = await options.loadHandler(route.functionName);
      const result = await invokeLocally(handler, event, lambdaContext(route.functionName));
      response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
      // As API Gateway does, a base64 body (a gzipped page, say) goes out as its bytes.
      response.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
    } catch (error) {
      logger.error('local gateway: the function failed to answer', { path: request.url, error: error as Error });
      if (!response.headersSent) sendJson(response, 502, { error: 'bad_gateway', message: 'The function failed to answer', issues: [] });
      else response.end();
    }
  });
}

/** Loads `functions/<name>.ts` and returns its exported handler. */
export async function loadFunctionHandler<T = HttpHandler>(functionName: string): Promise<T> {
  const module = (await import(new URL(`../../functions/${functionName}.ts`, import.meta.url).href)) as { handler: T };
  return module.handler;
}
