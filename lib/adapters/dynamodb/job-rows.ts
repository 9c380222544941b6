import { tableName } from '../../config.js';
import { mapWithConcurrency } from '../../concurrency.js';
import { batchGetAll, batchPutAll } from './batch.js';
import { jobDataExpiresAt, type JobResultPages } from './jobs.js';
import { jsonChunks } from './json-chunks.js';
import { jobKeys } from './job-keys.js';

/** Writes the rows one reduce shard produced in chunks that fit an item; returns how many chunks. */
export async function putShardRows(jobId: string, reduceShard: string, rows: readonly unknown[]): Promise<number> {
  if (rows.length === 0) return 0;
  const chunks = jsonChunks(rows);
  await batchPutAll(
    tableName('runs'),
    chunks.map(({ json }, chunk) => ({ ...jobKeys.shardRows(jobId, reduceShard, chunk), rows: json, expiresAt: jobDataExpiresAt() })),
  );
  return chunks.length;
}

/** The rows of the given reduce shards, each shard's in the order it wrote them. */
export async function readShardRows(jobId: string, shards: ReadonlyMap<string, number>): Promise<unknown[][]> {
  return mapWithConcurrency([...shards], 4, async ([shard, chunks]) => {
    if (chunks === 0) return [];
    const keys = Array.from({ length: chunks }, (_, chunk) => jobKeys.shardRows(jobId, shard, chunk));
    const items = await batchGetAll(tableName('runs'), keys, undefined, true);
    items.sort((a, b) => (a.sk as string).localeCompare(b.sk as string));
    return items.flatMap((item) => JSON.parse(item.rows as string) as unknown[]);
  });
}

/**
 * Writes a finished job's sorted rows as pages of items; returns where each page starts. Writing the same
 * rows again writes the same pages. `keep`: the pages outlive the 30-day expiry of bookkeeping.
 */
export async function putResultPages(jobId: string, rows: readonly unknown[], keep: boolean): Promise<JobResultPages> {
  const chunks = jsonChunks(rows);
  const pageStarts: number[] = [];
  let start = 0;
  for (const chunk of chunks) {
    pageStarts.push(start);
    start += chunk.count;
  }
  await batchPutAll(
    tableName('runs'),
    chunks.map(({ json }, page) => ({ ...jobKeys.resultPage(jobId, page), rows: json, ...(keep ? {} : { expiresAt: jobDataExpiresAt() }) })),
  );
  return { rows: rows.length, pageStarts };
}

/** Rows `offset` to `offset + limit` of a finished job's result, read from the pages that hold them. */
export async function readResultRows(jobId: string, pages: JobResultPages, offset: number, limit: number): Promise<unknown[]> {
  const end = Math.min(pages.rows, offset + limit);
  if (offset >= end) return [];
  const pageOf = (row: number) => {
    let page = 0;
    while (page + 1 < pages.pageStarts.length && pages.pageStarts[page + 1]! <= row) page++;
    return page;
  };
  const [first, last] = [pageOf(offset), pageOf(end - 1)];
  const keys = Array.from({ length: last - first + 1 }, (_, i) => jobKeys.resultPage(jobId, first + i));
  const items = await batchGetAll(tableName('runs'), keys, undefined, true);
  items.sort((a, b) => (a.sk as string).localeCompare(b.sk as string));
  const rows = items.flatMap((item) => JSON.parse(item.rows as string) as unknown[]);
  const skipped = pages.pageStarts[first]!;
  return rows.slice(offset - skipped, end - skipped);
}
