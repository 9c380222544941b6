/** The most UTF-8 bytes of JSON one item carries, well under DynamoDB's 400 KB item limit. */
export const MAX_CHUNK_BYTES = 300_000;

/**
 * Serializes values as JSON arrays of at most `maxBytes` UTF-8 bytes each, in order (a single value larger
 * than that gets a chunk of its own): large results become several items instead of one that is too big.
 */
export function jsonChunks(values: readonly unknown[], maxBytes = MAX_CHUNK_BYTES): { json: string; count: number }[] {
  const chunks: { json: string; count: number }[] = [];
  let parts: string[] = [];
  let bytes = 2;
  for (const value of values) {
    const part = JSON.stringify(value);
    const size = Buffer.byteLength(part, 'utf8') + 1;
    if (parts.length > 0 && bytes + size > maxBytes) {
      chunks.push({ json: `[${parts.join(',')}]`, count: parts.length });
      parts = [];
      bytes = 2;
    }
    parts.push(part);
    bytes += size;
  }
  if (parts.length > 0 || chunks.length === 0) chunks.push({ json: `[${parts.join(',')}]`, count: parts.length });
  return chunks;
}
