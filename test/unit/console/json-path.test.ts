import { describe, expect, it } from 'vitest';
import { locateJsonPath, parseIssuePath } from '../../../lib/console/src/json-path.js';

const program = JSON.stringify(
  {
    currency: 'RUB',
    tiers: [
      { id: 'base', threshold: '0' },
      { id: 'bronze', threshold: '50000', name: { ru: 'Бронза', en: 'Bronze' } },
      { id: 'silver', threshold: '40000' },
    ],
    qualifying: { brandMultipliers: { 'Jacob "JD" Delafon': 10.001 } },
  },
  null,
  2,
);

const textAt = (text: string, span: { start: number; end: number } | null) => (span ? text.slice(span.start, span.end) : null);

describe('parseIssuePath', () => {
  it.each([
    ['program.tiers[2].threshold', ['program', 'tiers', 2, 'threshold']],
    ['tiers[0]', ['tiers', 0]],
    ['currency', ['currency']],
    ['(body)', ['(body)']],
  ])('splits %s', (path, segments) => {
    expect(parseIssuePath(path)).toEqual(segments);
  });
});

describe('locateJsonPath', () => {
  it('finds a value inside an array of objects, with its line', () => {
    const span = locateJsonPath(program, ['tiers', 2, 'threshold']);
    expect(textAt(program, span)).toBe('"40000"');
    expect(program.split('\n')[span!.line - 1]).toContain('"threshold": "40000"');
  });

  it('finds objects, nested names, and keys with escaped quotes', () => {
    expect(textAt(program, locateJsonPath(program, ['tiers', 1, 'name', 'en']))).toBe('"Bronze"');
    expect(textAt(program, locateJsonPath(program, ['qualifying', 'brandMultipliers', 'Jacob "JD" Delafon']))).toBe('10.001');
    expect(textAt(program, locateJsonPath(program, ['tiers', 0]))).toBe('{\n      "id": "base",\n      "threshold": "0"\n    }');
  });

  it('points a missing field at its nearest existing parent', () => {
    const span = locateJsonPath(program, ['tiers', 2, 'discountPercent']);
    expect(textAt(program, span)).toMatch(/^\{\s+"id": "silver"/);
    expect(locateJsonPath(program, ['tiers', 9, 'id'])!.line).toBe(3); // the tiers array
  });

  it('answers the whole text for the root, and null for text that is not JSON', () => {
    expect(locateJsonPath('[1, 2]', [])).toEqual({ start: 0, end: 6, line: 1 });
    expect(locateJsonPath('{"tiers": [1, }', ['tiers'])).toBeNull();
    expect(locateJsonPath('{"a": 1', ['a'])).toBeNull();
  });
});
