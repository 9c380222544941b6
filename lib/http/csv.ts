import type { ApiResult } from './api.js';

/** One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A `text/csv` answer: a header row of the column names, then one row per record, CRLF line ends. */
export function csv<T>(columns: readonly (keyof T & string)[], rows: readonly T[], filename: string): ApiResult {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((column) => csvField(row[column] as string | number | null)).join(','))];
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` },
    body: `${lines.join('\r\n')}\r\n`,
  };
}
