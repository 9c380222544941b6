import { describe, expect, it } from 'vitest';
import { JsonNumber, JsonSyntaxError, MAX_JSON_DEPTH, parseJsonLossless } from '../../../lib/ingest/lossless-json.js';

/** The parse with every JsonNumber shown as its text, to compare with what JSON.parse makes of the rest. */
const plain = (value: unknown): unknown =>
  value instanceof JsonNumber
    ? `#${value.text}`
    : Array.isArray(value)
      ? value.map(plain)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, nested]) => [key, plain(nested)]))
        : value;

function syntaxErrorOf(text: string): JsonSyntaxError {
  try {
    parseJsonLossless(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`${text} parsed`);
}

describe('parseJsonLossless', () => {
  it('keeps the exact text of every number', () => {
    expect(plain(parseJsonLossless('[99999999999999.99, 100000000000000.01, 1.10, -0, 1e5, 1E-2, 0, 12345678901234567890]'))).toEqual([
      '#99999999999999.99',
      '#100000000000000.01',
      '#1.10',
      '#-0',
      '#1e5',
      '#1E-2',
      '#0',
      '#12345678901234567890',
    ]);
  });

  it.each([
    '{"a":[1,{"b":null,"c":true,"d":false}],"e":"x"}',
    ' \t\n\r{ "a" : [ ] , "b" : { } } \n',
    '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"',
    '"Ромашка ГК 😀"',
    '{"":""}',
    'null',
  ])('reads %s as JSON.parse does (numbers aside)', (text) => {
    expect(plain(parseJsonLossless(text))).toEqual(JSON.parse(text, (_, value) => (typeof value === 'number' ? `#${value}` : value)));
  });

  it('keeps a __proto__ key as an own property, never as the prototype', () => {
    const value = parseJsonLossless('{"__proto__":{"amount":"1.00"},"constructor":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect((value as { amount?: unknown }).amount).toBeUndefined();
  });

  it.each([
    ['', 'unexpected end of JSON', 0],
    ['{"orders": [', 'unexpected end of JSON', 12],
    ['{"a":1} x', 'unexpected text after the JSON value', 8],
    ["{'a':1}", 'expected a key in double quotes', 1],
    ['{a:1}', 'expected a key in double quotes', 1],
    ['[1,]', 'unexpected "]"', 3],
    ['{"a":1,}', 'expected a key in double quotes', 7],
    ['[01]', 'expected ",", found "1"', 2],
    ['[0x10]', 'expected ",", found "x"', 2],
    ['[.5]', 'unexpected "."', 1],
    ['[1.]', 'expected ",", found "."', 2],
    ['[+1]', 'unexpected "+"', 1],
    ['[-]', 'invalid number', 1],
    ['[NaN]', 'unexpected "N"', 1],
    ['[Infinity]', 'unexpected "I"', 1],
    ['[tru]', 'unexpected "t"', 1],
    ['["a\u0001"]', 'control character in a string (escape it)', 3],
    ['["\\x41"]', 'invalid escape \\x', 2],
    ['["\\u12"]', '\\u must be followed by 4 hex digits', 2],
    ['["abc', 'unterminated string', 1],
    ['// comment\n{}', 'unexpected "/"', 0],
    ['\ufeff{}', 'unexpected "\ufeff"', 0],
  ])('refuses %j: %s at %i', (text, reason, position) => {
    expect(syntaxErrorOf(text)).toMatchObject({ reason, position });
  });

  it('names the value being read when it fails', () => {
    expect(syntaxErrorOf('{"orders":[{"amount":1},{"amount":-}]}')).toMatchObject({ reason: 'invalid number', path: ['orders', 1, 'amount'] });
  });

  it.each([
    ['a duplicate key', '{"orders":[{"amount":"1.00","amount":"-5"}]}', 'duplicate key "amount"', ['orders', 0]],
    ['a lone high surrogate', '{"brand":"\\ud800"}', 'string is not valid Unicode (a lone surrogate)', ['brand']],
    ['a lone low surrogate in a key', '{"\\udc00":1}', 'string is not valid Unicode (a lone surrogate)', []],
    ['surrogates in the wrong order', '["\\ude00\\ud83d"]', 'string is not valid Unicode (a lone surrogate)', [0]],
  ])('refuses %s, which JSON.parse would accept', (_, text, reason, path) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(syntaxErrorOf(text)).toMatchObject({ reason, path });
  });

  it(`accepts nesting of ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    expect(() => parseJsonLossless('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).not.toThrow();
    expect(syntaxErrorOf('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)).reason).toBe(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it('refuses a million levels of nesting without exhausting the stack', () => {
    expect(syntaxErrorOf('{"a":'.repeat(1_000_000)).reason).toBe(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
  });
});
