import page from '../lib/console/dist/page.json' with { type: 'json' };
import { apiHandler, type ApiResult } from '../lib/http/api.js';

/**
 * GET /console: the manager console, one self-contained page built into this function (no CDN, nothing
 * fetched at run time). The page holds no data: everything it shows comes from the admin API with the
 * token the manager enters.
 */
export const handler = apiHandler(async (event): Promise<ApiResult> => {
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': page.contentSecurityPolicy,
    'cache-control': 'no-cache',
    etag: page.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (event.headers?.['if-none-match'] === page.etag) return { statusCode: 304, headers };
  if (/\bgzip\b/.test(event.headers?.['accept-encoding'] ?? '')) {
    return { statusCode: 200, headers: { ...headers, 'content-encoding': 'gzip' }, body: page.gzipBase64, isBase64Encoded: true };
  }
  return { statusCode: 200, headers, body: page.html };
});
