import { tableName } from '../../config.js';
import { batchPutAll } from './batch.js';
import { jobDataExpiresAt } from './jobs.js';
import { jsonChunks } from './json-chunks.js';
import { jobKeyPrefixes, jobKeys, jobPartition } from './job-keys.js';
import { queryPages } from './query.js';

/** A group's aggregate as a kind encodes it for the trip from map to reduce (JSON). */
export type EncodedAggregate = unknown;

/**
 * Writes what one map shard aggregated, bucketed by the reduce shard that owns each group: every bucket
 * (empty ones too), in chunks that fit an item, the first chunk saying how many there are. A retried map
 * shard rewrites its buckets, and chunks an earlier attempt left beyond the new count are ignored, so a
 * retry never counts twice. Groups travel as one JSON string: a map of thousands of entries costs far more
 * to marshal and validate.
 */
export async function putPartials(jobId: string, mapShard: string, byReduceShard: ReadonlyMap<string, ReadonlyMap<string, EncodedAggregate>>): Promise<void> {
  const items = [...byReduceShard].flatMap(([reduceShard, groups]) => {
    const chunks = jsonChunks([...groups]);
    return chunks.map(({ json }, chunk) => ({
      ...jobKeys.partial(jobId, reduceShard, mapShard, chunk),
      groups: json,
      chunks: chunks.length,
      expiresAt: jobDataExpiresAt(),
    }));
  });
  await batchPutAll(tableName('runs'), items);
}

/**
 * Every group aggregate the map shards wrote for one reduce shard, as [groupId, encoded] pairs (a group
 * appears once per map shard that saw it), page by page.
 */
export async function* readPartials(jobId: string, reduceShard: string): AsyncGenerator<[string, EncodedAggregate][]> {
  const pages = queryPages({
    TableName: tableName('runs'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': jobPartition(jobId), ':prefix': jobKeyPrefixes.partialsOf(reduceShard) },
    ConsistentRead: true,
  });
  // Items come in key order: a map shard's chunk 0 (with the count of its attempt) before its other chunks.
  let current = { mapShard: '', chunks: 0 };
  for await (const items of pages) {
    const entries: [string, EncodedAggregate][] = [];
    for (const item of items) {
      const [mapShard, chunkText] = (item.sk as string).slice(jobKeyPrefixes.partialsOf(reduceShard).length).split('#') as [string, string];
      const chunk = Number(chunkText);
      if (chunk === 0) current = { mapShard, chunks: Number(item.chunks ?? 1) };
      if (mapShard !== current.mapShard || chunk >= current.chunks) continue;
      entries.push(...(JSON.parse(item.groups as string) as [string, EncodedAggregate][]));
    }
    yield entries;
  }
}
