/**
 * Finds where a field named by an API issue path (`tiers[2].threshold`) sits in the JSON text the manager
 * typed, so the console can show the issue at that field. A field that is missing (a required one) is
 * located at its nearest existing parent. Pure: no DOM, unit-tested under test/unit/console.
 */

/** A span of the text: character offsets and the 1-based line where it starts. */
export interface TextSpan {
  start: number;
  end: number;
  line: number;
}

type Segment = string | number;

/** Splits `tiers[2].threshold` into `['tiers', 2, 'threshold']`. */
export function parseIssuePath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segments.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return segments;
}

/** The span of the value at `path` in `text` (or of its nearest existing parent); null if the text is not JSON. */
export function locateJsonPath(text: string, path: readonly Segment[]): TextSpan | null {
  const spans = new Map<string, { start: number; end: number }>();
  let position = 0;
  const keyOf = (segments: readonly Segment[]) => JSON.stringify(segments);
  const fail = (): never => {
    throw new SyntaxError(`Unexpected character at ${position}`);
  };
  const skipSpace = () => {
    while (position < text.length && /\s/.test(text[position]!)) position++;
  };
  const readString = (): string => {
    const start = position;
    position++;
    while (position < text.length && text[position] !== '"') position += text[position] === '\\' ? 2 : 1;
    if (position >= text.length) fail();
    position++;
    return JSON.parse(text.slice(start, position)) as string;
  };
  const readValue = (at: Segment[]): void => {
    skipSpace();
    const start = position;
    const char = text[position];
    if (char === '{') {
      position++;
      skipSpace();
      while (text[position] !== '}') {
        skipSpace();
        if (text[position] !== '"') fail();
        const name = readString();
        skipSpace();
        if (text[position] !== ':') fail();
        position++;
        readValue([...at, name]);
        skipSpace();
        if (text[position] === ',') position++;
        else if (text[position] !== '}') fail();
      }
      position++;
    } else if (char === '[') {
      position++;
      skipSpace();
      for (let index = 0; text[position] !== ']'; index++) {
        readValue([...at, index]);
        skipSpace();
        if (text[position] === ',') position++;
        else if (text[position] !== ']') fail();
      }
      position++;
    } else if (char === '"') {
      readString();
    } else {
      const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(position));
      if (!literal) fail();
      position += literal![0].length;
    }
    spans.set(keyOf(at), { start, end: position });
  };
  try {
    readValue([]);
  } catch {
    return null;
  }
  for (let length = path.length; length >= 0; length--) {
    const span = spans.get(keyOf(path.slice(0, length)));
    if (span) return { ...span, line: text.slice(0, span.start).split('\n').length };
  }
  return null;
}
