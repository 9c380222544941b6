/** FNV-1a: a fast, stable string hash, so a key maps to the same shard in every process and language. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The shard (as a fixed-width string key) a value belongs to among `shardCount` shards. */
export function shardOf(value: string, shardCount: number): string {
  return shardKey(fnv1a(value) % shardCount);
}

/** The key of shard number `index`. */
export function shardKey(index: number): string {
  return `s${String(index).padStart(3, '0')}`;
}
