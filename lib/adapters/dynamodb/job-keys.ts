/**
 * The keys of every item in the runs table, computed in one place: a job (a recalculation, a simulation, a
 * report) and what it records along the way live in the job's own partition; the recalculation lease and
 * the group shards' watermarks and the order shards' membership snapshots are single items of their own.
 */

/** The partition of one job: the job item and everything its tasks record. */
export const jobPartition = (jobId: string) => `job#${jobId}`;

export const jobKeys = {
  /** The job item: kind, status, phase, shard progress, parameters and summary. */
  job: (jobId: string) => ({ pk: jobPartition(jobId), sk: 'job' }),
  /** One chunk of the aggregates a map shard found for the groups of one reduce shard. */
  partial: (jobId: string, reduceShard: string, mapShard: string, chunk: number) => ({
    pk: jobPartition(jobId),
    sk: `${jobKeyPrefixes.partialsOf(reduceShard)}${mapShard}#${pad(chunk)}`,
  }),
  /** What one reduce shard found (its counts or tallies). */
  shardResult: (jobId: string, reduceShard: string) => ({ pk: jobPartition(jobId), sk: `${jobKeyPrefixes.shardResults}${reduceShard}` }),
  /** One chunk of the rows one reduce shard produced (movers, report rows), before the finish sorts them. */
  shardRows: (jobId: string, reduceShard: string, chunk: number) => ({ pk: jobPartition(jobId), sk: `rows#${reduceShard}#${pad(chunk)}` }),
  /** One page of a finished job's sorted result rows. */
  resultPage: (jobId: string, page: number) => ({ pk: jobPartition(jobId), sk: `page#${pad(page)}` }),
  /** One tier change a recalculation made, ordered by eventId (group, date, counter): the run's report. */
  runChange: (runId: string, eventId: string) => ({ pk: jobPartition(runId), sk: `${jobKeyPrefixes.runChanges}${eventId}` }),
  /** The lease that lets one recalculation at a time own the group state. */
  lease: { pk: 'lease', sk: 'lease' },
  /** The newest as-of date a recalculation evaluated a group shard at. */
  watermark: (groupShard: string) => ({ pk: 'watermark', sk: groupShard }),
  /** The current groups of the clients an order shard's last job window had, and when they were read. */
  membership: (orderShard: string) => ({ pk: 'membership', sk: orderShard }),
} as const;

/** Sort-key prefixes that select a kind of item within a job's partition. */
export const jobKeyPrefixes = {
  partialsOf: (reduceShard: string) => `part#${reduceShard}#`,
  shardResults: 'result#',
  runChanges: 'change#',
} as const;

/** The attribute and value under which job items of a kind are listed, newest first (the byKindStarted index). */
export const jobListingKey = (kind: string, startedAt: string, jobId: string) => ({ kind, startedKey: `${startedAt}#${jobId}` });

function pad(n: number): string {
  return String(n).padStart(5, '0');
}
