import type { ResultRowsRequest } from '../api-schemas.js';
import type { ApiEvent, ApiResult } from './api.js';
import { json } from './api.js';
import { csv } from './csv.js';

/**
 * A page of a job's result rows as JSON (an array) or CSV (a header row, RFC 4180 quoting). The total is in
 * `x-total-count`; while more rows follow, a `link: <…>; rel="next"` header names the next page (RFC 8288).
 */
export function resultRowsAnswer<T>(
  event: ApiEvent,
  request: ResultRowsRequest,
  page: { rows: readonly T[]; total: number },
  csvColumns: readonly (keyof T & string)[],
  filename: string,
): ApiResult {
  const answer = request.format === 'csv' ? csv(csvColumns, page.rows, filename) : json(200, page.rows);
  const next = request.offset + page.rows.length;
  const headers: Record<string, string> = { ...(answer.headers as Record<string, string>), 'x-total-count': String(page.total) };
  if (next < page.total) {
    const query = new URLSearchParams({ ...(request.format === 'csv' ? { format: 'csv' } : {}), offset: String(next), limit: String(request.limit) });
    headers.link = `<${event.rawPath}?${query}>; rel="next"`;
  }
  return { ...answer, headers };
}
