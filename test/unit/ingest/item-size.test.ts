import { describe, expect, it } from 'vitest';
import { attributeSizes, itemSize, MAX_ITEM_BYTES } from '../../../lib/ingest/item-size.js';

describe('itemSize, as DynamoDB counts an item', () => {
  it('uses the 400 KB limit', () => {
    expect(MAX_ITEM_BYTES).toBe(409_600);
  });

  it.each<[string, Record<string, unknown>, number]>([
    ['an ASCII string: name + value bytes', { id: 'abc' }, 2 + 3],
    ['a Cyrillic string: 2 bytes a letter', { name: 'Ж'.repeat(10) }, 4 + 20],
    ['an emoji: 4 bytes, not 2 UTF-16 units', { b: '😀' }, 1 + 4],
    ['a non-ASCII attribute name', { 'имя': '' }, 6],
    ['a boolean', { ok: true }, 2 + 1],
    ['null', { n: null }, 1 + 1],
    ['an empty list', { l: [] }, 1 + 3],
    ['a list: 3 + 1 per element', { l: ['a', 'bc'] }, 1 + 3 + (1 + 1) + (1 + 2)],
    ['an empty map', { m: {} }, 1 + 3],
    ['a map: 3 + per entry 1 + name + value', { m: { sku: 'S-1', q: 2 } }, 1 + 3 + (1 + 3 + 3) + (1 + 1 + 2)],
    ['undefined attributes, which are not stored', { a: 'x', b: undefined, m: { c: undefined } }, 1 + 1 + 1 + 3],
  ])('%s', (_, item, size) => {
    expect(itemSize(item)).toBe(size);
  });

  it.each<[number | bigint, number]>([
    [0, 1],
    [1, 2],
    [12, 2], // one digit pair
    [123, 3], // 01|23
    [1.2, 3], // 01|20: two digits straddling a pair boundary
    [12.5, 3],
    [100, 2], // trailing zeros are dropped
    [0.05, 2],
    [-1, 3], // a negative number has a terminator byte
    [9_007_199_254_740_991, 9], // 16 digits, aligned: 8 pairs
    [1e21, 2],
    [99_999_999_999_999_999n, 10], // 17 digits
  ])('counts the number %s as %i bytes', (value, size) => {
    expect(itemSize({ n: value }) - 1).toBe(size);
  });

  it('gives each attribute its own size, so a caller can name the largest', () => {
    expect(Object.fromEntries(attributeSizes({ id: 'O-1', lines: [{ brand: 'ЖЖ' }] }))).toEqual({ id: 5, lines: 5 + 3 + 1 + (3 + 1 + 5 + 4) });
  });
});
