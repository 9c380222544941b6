import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { loadSecrets } from '../adapters/secrets.js';
import { JsonSyntaxError, parseJsonLossless } from '../ingest/lossless-json.js';
import { withInvocationCache } from '../invocation-cache.js';
import { logger } from '../observability.js';
import {
  formatIssuePath,
  HttpError,
  invalidUtf8,
  malformedJson,
  payloadTooLarge,
  unauthorized,
  unsupportedMediaType,
  validationFailed,
  type RequestIssue,
} from './errors.js';
import { secretsEqual, verifyWebhookSignature } from './signature.js';
import { decodeUtf8 } from './utf8.js';

export type ApiEvent = APIGatewayProxyEventV2;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** Largest accepted request body (§3.1): larger ones are refused before any parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A JSON response. */
export function json(statusCode: number, body: unknown): ApiResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

/** Turns HttpErrors into the §3.1 error body and anything else into a bare 500 with the request id. */
function httpErrors(): MiddlewareObj<ApiEvent, ApiResult, Error, Context> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof HttpError) {
        request.response = json(error.statusCode, { error: error.code, message: error.message, issues: error.issues });
        return;
      }
      logger.error('unhandled error', error as Error);
      request.response = json(500, {
        error: 'internal_error',
        message: 'Internal error; retry later',
        issues: [],
        requestId: request.context.awsRequestId,
      });
    },
  };
}

/**
 * Wraps an HTTP handler with logging, a cache per request (the program versions are read once) and the
 * one error vocabulary, registered last so it sees every error.
 */
export function apiHandler(handler: (event: ApiEvent, context: Context) => Promise<ApiResult>) {
  return middy<ApiEvent, ApiResult, Error, Context>((event: ApiEvent, context: Context) => withInvocationCache(() => handler(event, context)))
    .use(injectLambdaContext(logger))
    .use(httpErrors());
}

/** A 204 answer: done, nothing to say. */
export function noContent(): ApiResult {
  return { statusCode: 204 };
}

function header(event: ApiEvent, name: string): string | undefined {
  return event.headers?.[name] ?? undefined;
}

/** The raw body's exact bytes, refused with 413 past the limit before anything else looks at it. */
function rawBodyBytes(event: ApiEvent): Buffer {
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  return bytes;
}

/** The body as JSON text: a JSON content type (415), in UTF-8 (400 invalid_utf8), never silently repaired. */
function jsonText(event: ApiEvent, bytes: Buffer): string {
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) throw unsupportedMediaType();
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) throw unsupportedMediaType(`Content-Type charset must be utf-8, not ${charset}`);
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) throw invalidUtf8(decoded.offset);
  return decoded.text;
}

function parseJson(text: string, parse: (text: string) => unknown): unknown {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw malformedJson(error.message, formatIssuePath(error.path));
    throw malformedJson((error as Error).message);
  }
}

/**
 * Maps zod issues to `orders[3].amount`-style paths for the 422 body, with the batch index when the body
 * is a batch (`{"orders": [...]}`): a number right after the top-level key; `program.tiers[2]` has none.
 */
export function toRequestIssues(issues: readonly z.core.$ZodIssue[]): RequestIssue[] {
  return issues.map((issue) => {
    const path = formatIssuePath(issue.path);
    const index = typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
    return { path: path || '(body)', ...(index !== undefined ? { index } : {}), message: issue.message };
  });
}

/** Validates a parsed value; a violation is a 422 that lists every bad field (and, if given, what was not done). */
export function validate<T extends z.ZodType>(schema: T, value: unknown, consequence?: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(toRequestIssues(result.error.issues), consequence);
  return result.data;
}

/**
 * Admits a signed webhook: size (413), signature over the raw bytes (401), content type (415), UTF-8 (400),
 * JSON (400), schema (422), in that order, so nothing unauthenticated is ever parsed. Numbers reach the
 * schema as JsonNumber (their exact text), so amounts never pass through a float.
 */
export async function readSignedWebhook<T extends z.ZodType>(event: ApiEvent, schema: T): Promise<z.output<T>> {
  const bytes = rawBodyBytes(event);
  const { webhookSecret } = await loadSecrets();
  const verdict = verifyWebhookSignature(header(event, 'x-signature'), bytes, webhookSecret);
  if (verdict !== 'valid') {
    const message = `X-Signature ${verdict}`;
    throw unauthorized(message, [{ path: 'X-Signature', message }]);
  }
  return validate(schema, parseJson(jsonText(event, bytes), parseJsonLossless), 'nothing was stored');
}

/**
 * Admits a request carrying `Authorization: Bearer <token>`: admin routes take the admin token only; API
 * routes (group status, history, prices) take the API token or the admin token, so the manager console,
 * which holds the admin token alone, can look groups up (§4.7).
 */
export async function requireBearer(event: ApiEvent, audience: 'api' | 'admin'): Promise<void> {
  const secrets = await loadSecrets();
  const accepted = audience === 'admin' ? [secrets.adminToken] : [secrets.apiToken, secrets.adminToken];
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(event, 'authorization') ?? '');
  // Every candidate is compared (constant time each), so the answer's timing does not say which one matched.
  const matches = match ? accepted.map((expected) => secretsEqual(match[1]!, expected)) : [];
  if (!matches.includes(true)) throw unauthorized('Missing or invalid bearer token');
}

/** Reads and validates a JSON body of an authenticated (bearer) request; `consequence` as for `validate`. */
export function readJsonBody<T extends z.ZodType>(event: ApiEvent, schema: T, consequence?: string): z.output<T> {
  return validate(schema, parseJson(jsonText(event, rawBodyBytes(event)), JSON.parse), consequence);
}
