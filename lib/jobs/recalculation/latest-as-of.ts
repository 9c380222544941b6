import { leaseHolder } from '../../adapters/dynamodb/run-lease.js';
import { readShardWatermarks } from '../../adapters/dynamodb/shard-watermarks.js';
import type { BusinessDate } from '../../domain/business-date.js';

/**
 * The latest as-of date a run has evaluated groups at (the newest shard watermark) or is evaluating now
 * (the holder of a live lease), or null before any run: history up to it is not to be rewritten.
 */
export async function latestRunAsOf(): Promise<BusinessDate | null> {
  const [watermarks, holder] = await Promise.all([readShardWatermarks(), leaseHolder()]);
  const live = holder && holder.leaseUntil > Math.floor(Date.now() / 1000) ? [holder.asOf] : [];
  return [...watermarks, ...live].sort().pop() ?? null;
}
