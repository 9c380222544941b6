/** DynamoDB's largest item: 400 KB, attribute names included. */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * The size of an item as DynamoDB counts it against MAX_ITEM_BYTES (Developer Guide, "Item sizes and
 * formats"): UTF-8 bytes of attribute names and strings; numbers by their significant digits; 1 byte for a
 * boolean or null; lists and maps 3 bytes plus 1 per element (the kinds of value ingest stores). Undefined attributes are not stored (the
 * document client removes them), so they count nothing. Per attribute, so a caller can name the largest.
 */
export function attributeSizes(item: Readonly<Record<string, unknown>>): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) sizes.set(name, Buffer.byteLength(name) + valueSize(value));
  }
  return sizes;
}

/** The whole item's size: the sum of its attribute sizes. */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const size of attributeSizes(item).values()) total += size;
  return total;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(String(value));
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return value.reduce<number>((total, element) => total + 1 + valueSize(element), 3);
  if (typeof value === 'object') {
    let total = 3;
    for (const [name, nested] of Object.entries(value)) if (nested !== undefined) total += 1 + Buffer.byteLength(name) + valueSize(nested);
    return total;
  }
  throw new TypeError(`itemSize measures strings, numbers, booleans, null, lists and maps, not a ${typeof value}`);
}

/**
 * A number is stored as base-100 digit pairs aligned on the decimal point (a pair holds the digits of
 * 10^(2k+1) and 10^(2k)), plus an exponent byte and, when negative, a terminator byte. Zero takes 1 byte.
 */
function numberSize(text: string): number {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match) throw new TypeError(`not a number: ${text}`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const mantissa = whole + fraction;
  const first = mantissa.search(/[1-9]/);
  if (first < 0) return 1;
  const significant = mantissa.slice(first).replace(/0+$/, '');
  const firstPower = whole.length + Number(exponent) - 1 - first;
  const lastPower = firstPower - significant.length + 1;
  const pairs = Math.floor(firstPower / 2) - Math.floor(lastPower / 2) + 1;
  return 1 + pairs + (sign === '-' ? 1 : 0);
}
