/** One issue with a request: the path of the field at fault (batch index included) and what is wrong. */
export interface RequestIssue {
  readonly path: string;
  /** Position of the item in the webhook batch, when the issue is inside one. */
  readonly index?: number;
  readonly message: string;
}

/** Errors a client caused; each carries its HTTP status and a stable error code. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues: readonly RequestIssue[] = [],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** `orders[3].lines[0].amount` from the segments of a path into a request body. */
export function formatIssuePath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${String(segment)}` : String(segment)),
    '',
  );
}

export const malformedJson = (detail: string, path = '') =>
  new HttpError(400, 'malformed_json', `Body is not valid JSON: ${detail}`, [{ path: path || '(body)', message: detail }]);
export const invalidUtf8 = (offset: number) =>
  new HttpError(400, 'invalid_utf8', 'Body is not valid UTF-8 text', [{ path: '(body)', message: `the byte at offset ${offset} is not valid UTF-8` }]);
export const malformedPath = (parameter: string) =>
  new HttpError(400, 'malformed_path', `Path parameter ${parameter} is not valid percent-encoded UTF-8`, [
    { path: parameter, message: 'malformed percent-encoding' },
  ]);
export const unauthorized = (message: string, issues: readonly RequestIssue[] = []) => new HttpError(401, 'unauthorized', message, issues);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const payloadTooLarge = (limit: number) =>
  new HttpError(413, 'payload_too_large', `Body exceeds ${limit} bytes`, [{ path: '(body)', message: `larger than ${limit} bytes` }]);
export const unsupportedMediaType = (message = 'Content-Type must be application/json') =>
  new HttpError(415, 'unsupported_media_type', message, [{ path: 'Content-Type', message }]);
/** 422; `consequence` tells what the refusal means for this route, e.g. "nothing was stored" for a webhook. */
export const validationFailed = (issues: RequestIssue[], consequence?: string) =>
  new HttpError(422, 'validation_failed', `${issues.length} invalid field(s)${consequence ? `; ${consequence}` : ''}`, issues);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
