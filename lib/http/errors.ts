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

export const malformedJson = (detail: string) => new HttpError(400, 'malformed_json', `Body is not valid JSON: ${detail}`);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const payloadTooLarge = (limit: number) => new HttpError(413, 'payload_too_large', `Body exceeds ${limit} bytes`);
export const unsupportedMediaType = () =>
  new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
/** 422; `consequence` tells what the refusal means for this route, e.g. "nothing was stored" for a webhook. */
export const validationFailed = (issues: RequestIssue[], consequence?: string) =>
  new HttpError(422, 'validation_failed', `${issues.length} invalid field(s)${consequence ? `; ${consequence}` : ''}`, issues);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
