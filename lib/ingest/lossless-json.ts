/** A JSON number kept as its source text, so an amount is read from its digits and never through a float. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** Why a body is not acceptable JSON: what, at which offset, and inside which value. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    readonly reason: string,
    readonly position: number,
    /** Keys and indexes of the value being read (`['orders', 3, 'amount']`); empty at the top level. */
    readonly path: readonly (string | number)[],
  ) {
    super(`${reason} at position ${position}`);
  }
}

/** Deepest nesting of objects and arrays a body may have; webhook bodies need 4. */
export const MAX_JSON_DEPTH = 32;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** What a string may not hold unescaped, and the escape that starts the slow path. */
const NEEDS_CARE = /[\\\u0000-\u001f]/;
const ANY_SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /\p{Cs}/u;
const LITERALS = [['true', true], ['false', false], ['null', null]] as const;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Parses JSON text (RFC 8259, the grammar JSON.parse accepts) with every number as a JsonNumber of its exact
 * text. Stricter than JSON.parse where a difference could be exploited or silently lose data: a duplicate
 * key, a string that is not valid Unicode (a lone surrogate) and nesting deeper than MAX_JSON_DEPTH are
 * errors. A `__proto__` key is an own property, as with JSON.parse, never the object's prototype.
 */
export function parseJsonLossless(text: string): unknown {
  return new LosslessParser(text).parseDocument();
}

class LosslessParser {
  private position = 0;
  private readonly path: (string | number)[] = [];

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    this.skipWhitespace();
    const value = this.value(0);
    this.skipWhitespace();
    if (this.position < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private value(depth: number): unknown {
    const code = this.text.charCodeAt(this.position);
    if (code === 0x22) return this.string();
    if (code === 0x2d || (code >= 0x30 && code <= 0x39)) return this.number();
    if (code === 0x7b) return this.object(depth + 1);
    if (code === 0x5b) return this.array(depth + 1);
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.position)) {
        this.position += word.length;
        return value;
      }
    }
    const char = this.text[this.position];
    return this.fail(char === undefined ? 'unexpected end of JSON' : `unexpected ${JSON.stringify(char)}`);
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    const result: Record<string, unknown> = {};
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position++;
      return result;
    }
    for (;;) {
      if (this.text[this.position] !== '"') this.fail('expected a key in double quotes');
      const keyPosition = this.position;
      const key = this.string();
      if (Object.hasOwn(result, key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyPosition);
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      this.path.push(key);
      const value = this.value(depth);
      // An own property even for "__proto__", which plain assignment would take as the prototype.
      if (key === '__proto__') Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      else result[key] = value;
      this.path.pop();
      this.skipWhitespace();
      if (this.text[this.position] === '}') {
        this.position++;
        return result;
      }
      this.expect(',');
      this.skipWhitespace();
    }
  }

  private array(depth: number): unknown[] {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    const result: unknown[] = [];
    this.position++;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position++;
      return result;
    }
    for (;;) {
      this.path.push(result.length);
      result.push(this.value(depth));
      this.path.pop();
      this.skipWhitespace();
      if (this.text[this.position] === ']') {
        this.position++;
        return result;
      }
      this.expect(',');
      this.skipWhitespace();
    }
  }

  private string(): string {
    const start = this.position;
    const end = this.text.indexOf('"', start + 1);
    let result = end < 0 ? '' : this.text.slice(start + 1, end);
    if (end >= 0 && !NEEDS_CARE.test(result)) {
      this.position = end + 1;
    } else {
      result = this.escapedString(start);
    }
    if (ANY_SURROGATE.test(result) && LONE_SURROGATE.test(result)) this.fail('string is not valid Unicode (a lone surrogate)', start);
    return result;
  }

  /** The slow path of a string: escapes, and the errors of a string that ends badly. */
  private escapedString(start: number): string {
    let result = '';
    let chunkStart = ++this.position;
    for (;;) {
      const code = this.text.charCodeAt(this.position);
      if (Number.isNaN(code)) this.fail('unterminated string', start);
      if (code === 0x22) break;
      if (code < 0x20) this.fail('control character in a string (escape it)');
      if (code === 0x5c) {
        result += this.text.slice(chunkStart, this.position);
        result += this.escape();
        chunkStart = this.position;
      } else {
        this.position++;
      }
    }
    result += this.text.slice(chunkStart, this.position);
    this.position++;
    return result;
  }

  private escape(): string {
    const letter = this.text[this.position + 1];
    if (letter === 'u') {
      const hex = this.text.slice(this.position + 2, this.position + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('\\u must be followed by 4 hex digits');
      this.position += 6;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    const escaped = letter === undefined ? undefined : ESCAPES[letter];
    if (escaped === undefined) this.fail(`invalid escape \\${letter ?? ''}`);
    this.position += 2;
    return escaped!;
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail('invalid number');
    this.position += match[0].length;
    return new JsonNumber(match[0]);
  }

  private expect(char: string): void {
    if (this.text[this.position] !== char) {
      const found = this.text[this.position];
      this.fail(found === undefined ? 'unexpected end of JSON' : `expected ${JSON.stringify(char)}, found ${JSON.stringify(found)}`);
    }
    this.position++;
  }

  private skipWhitespace(): void {
    for (let code = this.text.charCodeAt(this.position); code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09; ) {
      code = this.text.charCodeAt(++this.position);
    }
  }

  private fail(reason: string, position = this.position): never {
    throw new JsonSyntaxError(reason, position, [...this.path]);
  }
}
