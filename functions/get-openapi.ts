import { program } from '../lib/config.js';
import { apiHandler, json, type ApiEvent } from '../lib/http/api.js';
import { openApiDocument } from '../lib/http/openapi.js';

/** The origin the request came to (API Gateway says https in X-Forwarded-Proto; the local gateway is http). */
function origin(event: ApiEvent): string {
  return `${event.headers?.['x-forwarded-proto'] ?? 'http'}://${event.requestContext.domainName}`;
}

/** GET /openapi.json: the OpenAPI 3.1 document of this API, generated from the schemas its handlers validate with. */
export const handler = apiHandler(async (event) => json(200, openApiDocument(program, origin(event))));
