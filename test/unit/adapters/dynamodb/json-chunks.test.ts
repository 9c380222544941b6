import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../../../../lib/adapters/dynamodb/json-chunks.js';

describe('jsonChunks: results split into items that fit', () => {
  it('keeps every value, in order, in arrays of at most the byte limit (UTF-8, not characters)', () => {
    const values = Array.from({ length: 1000 }, (_, i) => ({ groupId: `G-${i}`, name: 'ООО «Вода»' }));
    const chunks = jsonChunks(values, 2000);
    expect(chunks.length).toBeGreaterThan(20);
    for (const chunk of chunks) expect(Buffer.byteLength(chunk.json, 'utf8')).toBeLessThanOrEqual(2000);
    expect(chunks.flatMap((chunk) => JSON.parse(chunk.json))).toEqual(values);
    expect(chunks.reduce((total, chunk) => total + chunk.count, 0)).toBe(1000);
  });

  it('gives one empty chunk for no values, and a value over the limit a chunk of its own', () => {
    expect(jsonChunks([])).toEqual([{ json: '[]', count: 0 }]);
    const big = 'x'.repeat(50);
    expect(jsonChunks(['a', big, 'b'], 20).map((chunk) => JSON.parse(chunk.json))).toEqual([['a'], [big], ['b']]);
  });
});
