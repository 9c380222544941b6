import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamo } from '../../lib/adapters/dynamodb/client.js';
import { mapWithConcurrency } from '../../lib/concurrency.js';
import { tableName } from '../../lib/config.js';
import { MAX_BODY_BYTES } from '../../lib/http/api.js';
import { signWebhook } from '../../lib/http/signature.js';
import { DEV_SECRETS } from '../../lib/local/stack.js';
import { testStack } from '../support/local-stack.js';

/**
 * A hostile integrator's sweep of the four webhooks through the real HTTP path: generated malformed bodies
 * and headers, each of which must be refused with a 4xx that names the field at fault (the issue path, or
 * the header) while nothing of it is stored and nothing answers 5xx; then the legitimate edges, each of
 * which must be accepted and stored.
 */

type Kind = 'orders' | 'clients' | 'groups' | 'prices';
const KINDS: readonly Kind[] = ['orders', 'clients', 'groups', 'prices'];

interface Attempt {
  name: string;
  kind: Kind;
  body: Buffer;
  /** The Content-Type header; null sends none. */
  contentType?: string | null;
  /**
   * The X-Signature header; undefined signs the exact bytes with the webhook secret, null sends none. A
   * function is called as the request is sent (a timestamp relative to that moment).
   */
  signature?: string | null | ((nowSeconds: number) => string);
}
interface Hostile extends Attempt {
  status: number;
  code: string;
  /** The issue path the answer must name: a body path, `(body)`, `X-Signature` or `Content-Type`. */
  field: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Marks a value to be written into the JSON text as is (numbers such as 1e5 that JSON.stringify cannot write). */
const raw = (text: string) => `\u0000RAW:${text}\u0000`;
function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000RAW:(.*?)\\u0000"/g, (_, text: string) => text);
}

const validItem: Record<Kind, (i: number) => Record<string, unknown>> = {
  orders: (i) => ({ orderId: `SW-O-${i}`, clientId: 'SW-C-1', date: '2026-11-10', amount: '1250.50', currency: 'RUB', status: 'paid', version: 1 }),
  clients: (i) => ({ clientId: `SW-C-${i}`, name: 'Sweep client', email: 'buyer@example.com', groupId: 'SW-G-1', version: 1 }),
  groups: (i) => ({ groupId: `SW-G-${i}`, name: 'Sweep group', contacts: ['buyer@example.com'], locale: 'en', version: 1 }),
  prices: (i) => ({ sku: `SW-SKU-${i}`, brand: 'Valtec', price: '12.25', version: 1 }),
};
const line = (fields: Record<string, unknown> = {}) => ({ sku: 'S-1', brand: 'GROHE', quantity: 1, amount: '10.00', ...fields });

/** Three valid items with `item` in the middle: the batch must be refused whole for the fault in item 1. */
function batchAround(kind: Kind, item: Record<string, unknown>): string {
  return jsonText({ [kind]: [validItem[kind](0), item, validItem[kind](2)] });
}

/** One hostile value per line: [field, values] of the middle item, each expected as a 422 at `<kind>[1].<field>`. */
const FIELD_FAULTS: Record<Kind, [string, unknown[]][]> = {
  orders: [
    ['orderId', [42, null, true, ['O-1'], {}, '', '.', '..', '../x', 'a/b', 'a b', 'O'.repeat(65), 'x'.repeat(2049), 'Заказ-1', '%2e%2e', 'a\u0000b', 'a?b', 'a#b']],
    ['clientId', [7, null, '', '..', '.', 'C/1', 'C 1', 'C'.repeat(65), 'Клиент']],
    [
      'date',
      [
        '2026-02-30',
        '2026-02-29',
        '2026-13-01',
        '2026-11-00',
        '2026-11-21T10:00:00',
        '2026-11-21T25:00:00Z',
        '2026-11-21T10:00:00+25:00',
        '2026-11-21 10:00:00Z',
        '21.11.2026',
        ' 2026-11-10',
        '10000-01-01',
        '0999-12-31',
        '0000-01-01',
        '9999-12-31T23:00:00Z',
        '0999-06-15T12:00:00Z',
        raw('20261121'),
        '',
        null,
      ],
    ],
    [
      'amount',
      [
        raw('1e5'),
        raw('1E2'),
        raw('1.005'),
        raw('1.500'),
        raw('-1'),
        raw('-0'),
        raw('1000000000000000'),
        raw('1e-2'),
        '0x10',
        '1e3',
        'NaN',
        'Infinity',
        '-1.00',
        '1.005',
        '12,50',
        '',
        ' ',
        '+5',
        '.5',
        '5.',
        '007',
        '1000000000000000.00',
        '99999999999999999',
        true,
        null,
        {},
        [],
      ],
    ],
    ['currency', ['USD', 'rub', '', null, raw('643')]],
    ['status', ['delivered', 'PAID', '', null, raw('1')]],
    ['version', [raw('-1'), raw('1.5'), '2', raw('1e2'), raw('1.0'), raw('-0'), raw('9007199254740992'), raw('18446744073709551616'), null, true]],
    ['lines', ['x', {}, raw('1'), Array.from({ length: 1001 }, () => line())]],
  ],
  clients: [
    ['clientId', ['..', '.', '', 'C'.repeat(65), 'C 1', 42]],
    ['name', ['', 'N'.repeat(301), null, raw('5')]],
    ['email', ['not-an-email', `${'a'.repeat(250)}@example.com`, raw('1')]],
    ['groupId', ['.', '..', 'G 1', 'G'.repeat(65), raw('1')]],
    ['version', [raw('1.5'), '1']],
  ],
  groups: [
    ['groupId', ['..', '', 'G/1']],
    ['name', ['', 'N'.repeat(301)]],
    ['contacts', ['buyer@example.com', Array.from({ length: 51 }, (_, i) => `c${i}@example.com`)]],
    ['locale', ['de', 'RU', raw('1')]],
    ['version', [raw('1e0'), null]],
  ],
  prices: [
    ['sku', ['', 'S'.repeat(65), null, raw('1')]],
    ['brand', ['', 'B'.repeat(201)]],
    ['price', [raw('1.005'), raw('1e5'), '-1', raw('1000000000000000'), raw('12.250'), 'twelve']],
    ['version', [raw('-1'), raw('2.0')]],
  ],
};

/** Faults deeper in an order: [what, the order, the path at fault]. */
const ORDER_SHAPE_FAULTS: [string, Record<string, unknown>, string][] = [
  ['a missing amount', (({ amount: _, ...rest }) => rest)(validItem.orders(1)), 'orders[1].amount'],
  ['an amount hidden in __proto__', { ...(({ amount: _, ...rest }) => rest)(validItem.orders(1)), ['__proto__']: { amount: '1.00' } }, 'orders[1].amount'],
  ['an orderId hidden in __proto__', { ...(({ orderId: _, ...rest }) => rest)(validItem.orders(1)), ['__proto__']: { orderId: 'SW-O-PROTO' } }, 'orders[1].orderId'],
  ['a line with quantity 0', { ...validItem.orders(1), lines: [line(), line({ quantity: 0 })] }, 'orders[1].lines[1].quantity'],
  ['a line with quantity -1', { ...validItem.orders(1), lines: [line({ quantity: -1 })] }, 'orders[1].lines[0].quantity'],
  ['a line with quantity 1.5', { ...validItem.orders(1), lines: [line({ quantity: raw('1.5') })] }, 'orders[1].lines[0].quantity'],
  ['a line with quantity "1"', { ...validItem.orders(1), lines: [line({ quantity: '1' })] }, 'orders[1].lines[0].quantity'],
  ['a line with an empty sku', { ...validItem.orders(1), lines: [line({ sku: '' })] }, 'orders[1].lines[0].sku'],
  ['a line with a 65-character sku', { ...validItem.orders(1), lines: [line({ sku: 'S'.repeat(65) })] }, 'orders[1].lines[0].sku'],
  ['a line with a numeric sku', { ...validItem.orders(1), lines: [line({ sku: raw('42') })] }, 'orders[1].lines[0].sku'],
  ['a line with no brand', { ...validItem.orders(1), lines: [(({ brand: _, ...rest }) => rest)(line())] }, 'orders[1].lines[0].brand'],
  ['a line with a 201-character brand', { ...validItem.orders(1), lines: [line({ brand: 'B'.repeat(201) })] }, 'orders[1].lines[0].brand'],
  ['a line amount of 1.005', { ...validItem.orders(1), lines: [line({ amount: raw('1.005') })] }, 'orders[1].lines[0].amount'],
  ['a line amount of -1', { ...validItem.orders(1), lines: [line({ amount: '-1' })] }, 'orders[1].lines[0].amount'],
  ['a null line', { ...validItem.orders(1), lines: [null] }, 'orders[1].lines[0]'],
  [
    'lines worth 834 KB of UTF-8 (over the 400 KB item limit)',
    { ...validItem.orders(1), lines: Array.from({ length: 1000 }, (_, i) => line({ sku: `S-${i}`.padEnd(64, '€'), brand: '€'.repeat(200) })) },
    'orders[1].lines',
  ],
];

/** Bodies wrong as a whole: [what, kind, JSON text, path]. */
const BODY_SHAPE_FAULTS: [string, Kind, string, string][] = [
  ['a JSON array', 'orders', '[]', '(body)'],
  ['a JSON string', 'orders', '"orders"', '(body)'],
  ['a JSON number', 'orders', '5', '(body)'],
  ['null', 'orders', 'null', '(body)'],
  ['an empty object', 'orders', '{}', 'orders'],
  ['the batch key of another webhook', 'orders', jsonText({ clients: [validItem.clients(0)] }), 'orders'],
  ['the batch under __proto__', 'orders', `{"__proto__":${jsonText({ orders: [validItem.orders(0)] })}}`, 'orders'],
  ['a batch that is an object', 'clients', '{"clients":{}}', 'clients'],
  ['an empty batch', 'groups', '{"groups":[]}', 'groups'],
  ['a batch of 501 items', 'prices', jsonText({ prices: Array.from({ length: 501 }, (_, i) => validItem.prices(i)) }), 'prices'],
];

const goodOrders = () => batchAround('orders', validItem.orders(1));

/** Not JSON, or JSON this API refuses: [what, text, path] — each a 400 malformed_json. */
const SYNTAX_FAULTS: [string, string, string][] = [
  ['a truncated body', goodOrders().slice(0, -3), 'orders[2]'],
  ['text after the value', `${goodOrders()} x`, '(body)'],
  ['single quotes', "{'orders':[]}", '(body)'],
  ['unquoted keys', '{orders:[]}', '(body)'],
  ['a comment', `// batch\n${goodOrders()}`, '(body)'],
  ['a trailing comma in an array', goodOrders().replace(/}]}$/, '},]}'), 'orders[3]'],
  ['a trailing comma in an object', goodOrders().replace(/"version":1}]}$/, '"version":1,}]}'), 'orders[2]'],
  ['NaN', goodOrders().replace('"amount":"1250.50"', '"amount":NaN'), 'orders[0].amount'],
  ['Infinity', goodOrders().replace('"amount":"1250.50"', '"amount":Infinity'), 'orders[0].amount'],
  ['a hex number', goodOrders().replace('"amount":"1250.50"', '"amount":0x10'), 'orders[0]'],
  ['a leading zero', goodOrders().replace('"version":1', '"version":007'), 'orders[0]'],
  ['a plus sign', goodOrders().replace('"version":1', '"version":+1'), 'orders[0].version'],
  ['a bare fraction', goodOrders().replace('"amount":"1250.50"', '"amount":.5'), 'orders[0].amount'],
  ['a trailing point', goodOrders().replace('"amount":"1250.50"', '"amount":5.'), 'orders[0]'],
  ['a raw control character in a string', goodOrders().replace('SW-C-1', 'SW-C\u0001-1'), 'orders[0].clientId'],
  ['an invalid escape', goodOrders().replace('SW-C-1', 'SW-C\\x41'), 'orders[0].clientId'],
  ['a short \\u escape', goodOrders().replace('SW-C-1', 'SW-C\\u41'), 'orders[0].clientId'],
  ['a lone surrogate in a brand', jsonText({ prices: [validItem.prices(0)] }).replace('Valtec', 'Val\\ud800tec'), 'prices[0].brand'],
  ['a duplicate amount key', goodOrders().replace('"amount":"1250.50"', '"amount":"1250.50","amount":"-1"'), 'orders[0]'],
  ['a duplicate batch key', `{"orders":[],${goodOrders().slice(1)}`, '(body)'],
  ['nesting 33 levels deep', goodOrders().replace('"version":1}', `"version":1,"x":${'['.repeat(30)}${']'.repeat(30)}}`), `orders[0].x${'[0]'.repeat(29)}`],
  ['nesting 100,000 levels deep', `{"orders":${'['.repeat(100_000)}`, `orders${'[0]'.repeat(31)}`],
  ['an empty body', '', '(body)'],
  ['whitespace only', ' \n\t ', '(body)'],
  ['a UTF-8 byte order mark', `\ufeff${goodOrders()}`, '(body)'],
];

/** Bytes that are not UTF-8 in an otherwise valid, correctly signed body — each a 400 invalid_utf8. */
const ENCODING_FAULTS: [string, Buffer][] = [
  ['a Latin-1 é', Buffer.from([0xe9])],
  ['an overlong "/"', Buffer.from([0xc0, 0xaf])],
  ['an encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
  ['CESU-8 for an emoji', Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80])],
  ['a code point past U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
  ['a 0xFF byte', Buffer.from([0xff])],
  ['a stray continuation byte', Buffer.from([0x80])],
  ['a lead byte without its continuation', Buffer.from([0xd0, 0x41])],
].map(([what, bytes]) => {
  const [before, after] = jsonText({ groups: [validItem.groups(1)] }).split('Sweep group');
  return [what as string, Buffer.concat([Buffer.from(`${before}Sweep`), bytes as Buffer, Buffer.from(` group${after}`)])];
});

function hostileAttempts(): Hostile[] {
  const attempts: Hostile[] = [];
  const add = (attempt: Omit<Hostile, 'body'> & { body: string | Buffer }) => attempts.push({ ...attempt, body: Buffer.from(attempt.body) });
  for (const kind of KINDS) {
    for (const [field, values] of FIELD_FAULTS[kind]) {
      for (const value of values) {
        const body = batchAround(kind, { ...validItem[kind](1), [field]: value });
        add({ name: `${kind}[1].${field} = ${JSON.stringify(value)?.slice(0, 40)}`, kind, body, status: 422, code: 'validation_failed', field: `${kind}[1].${field}` });
      }
    }
  }
  for (const [what, order, field] of ORDER_SHAPE_FAULTS) add({ name: `an order with ${what}`, kind: 'orders', body: batchAround('orders', order), status: 422, code: 'validation_failed', field });
  for (const [what, kind, body, field] of BODY_SHAPE_FAULTS) add({ name: `a ${kind} body that is ${what}`, kind, body, status: 422, code: 'validation_failed', field });
  for (const [what, body, field] of SYNTAX_FAULTS) add({ name: `a body with ${what}`, kind: 'orders', body, status: 400, code: 'malformed_json', field });
  for (const [what, body] of ENCODING_FAULTS) add({ name: `a groups body with ${what}`, kind: 'groups', body, status: 400, code: 'invalid_utf8', field: '(body)' });
  add({ name: 'a UTF-16 body', kind: 'orders', body: Buffer.from(`\ufeff${goodOrders()}`, 'utf16le'), status: 400, code: 'invalid_utf8', field: '(body)' });
  add({ name: 'a UTF-16BE body without a byte order mark', kind: 'orders', body: Buffer.from(goodOrders(), 'utf16le').swap16(), status: 400, code: 'malformed_json', field: '(body)' });

  for (const contentType of [
    null,
    'text/plain',
    'application/xml',
    'application/jsonp',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'json',
    'application/json; charset=iso-8859-1',
    'application/json; charset=utf-16',
  ]) {
    add({ name: `a valid batch sent as ${contentType ?? 'no Content-Type'}`, kind: 'orders', body: goodOrders(), contentType, status: 415, code: 'unsupported_media_type', field: 'Content-Type' });
  }

  const body = goodOrders();
  const macOf = (secret: string, t: number | string, text = body) => signWebhook(secret, text, Number(t)).split('v1=')[1]!;
  const current = (t: number) => macOf(DEV_SECRETS.WEBHOOK_SECRET, t);
  const signatures: [string, string | null | ((t: number) => string)][] = [
    ['no X-Signature', null],
    ['an empty X-Signature', ''],
    ['garbage', 'garbage'],
    ['only a timestamp', (t) => `t=${t}`],
    ['only a MAC', (t) => `v1=${current(t)}`],
    ['an empty timestamp', (t) => `t=,v1=${current(t)}`],
    ['a non-numeric timestamp', (t) => `t=now,v1=${current(t)}`],
    ['a negative timestamp', (t) => `t=-${t},v1=${current(t)}`],
    ['a fractional timestamp', (t) => `t=${t}.5,v1=${current(t)}`],
    ['a timestamp in milliseconds', (t) => `t=${t * 1000},v1=${current(t * 1000)}`],
    ['two timestamps', (t) => `t=${t},t=${t - 1},v1=${current(t)}`],
    ['an upper-case T', (t) => `T=${t},v1=${current(t)}`],
    ['a v0 MAC only', (t) => `t=${t},v0=${current(t)}`],
    ['a trailing comma', (t) => `t=${t},v1=${current(t)},`],
    ['a MAC of 63 hex digits', (t) => `t=${t},v1=${current(t).slice(1)}`],
    ['a MAC of 65 hex digits', (t) => `t=${t},v1=${current(t)}0`],
    ['a MAC with non-hex digits', (t) => `t=${t},v1=${'g'.repeat(64)}`],
    ['a MAC in base64', (t) => `t=${t},v1=${Buffer.from(current(t), 'hex').toString('base64')}`],
    ['a MAC made with another secret', (t) => `t=${t},v1=${macOf('not-the-secret', t)}`],
    ['the MAC of another body', (t) => `t=${t},v1=${macOf(DEV_SECRETS.WEBHOOK_SECRET, t, body.replace('1250.50', '9999.00'))}`],
    ['the MAC of another timestamp', (t) => `t=${t},v1=${current(t - 1)}`],
    ['a timestamp 301 s old', (t) => `t=${t - 301},v1=${current(t - 301)}`],
    // Signed when sent: the time to the handler only makes it less far ahead, so a margin keeps it refused
    // on a loaded machine (the exact 300 s boundary is proven in test/unit/http/signature.test.ts).
    ['a timestamp 330 s ahead', (t) => `t=${t + 330},v1=${current(t + 330)}`],
    ['a timestamp a day old', (t) => `t=${t - 86_400},v1=${current(t - 86_400)}`],
    ['timestamp 0', `t=0,v1=${current(0)}`],
    ['two headers joined by the client', (t) => `t=${t},v1=${current(t)}, t=${t},v1=${current(t)}`],
  ];
  for (const [what, signature] of signatures) add({ name: `a valid batch with ${what}`, kind: 'orders', body, signature, status: 401, code: 'unauthorized', field: 'X-Signature' });
  add({ name: 'a signed body one byte over 1 MiB', kind: 'orders', body: body + ' '.repeat(MAX_BODY_BYTES + 1 - Buffer.byteLength(body)), status: 413, code: 'payload_too_large', field: '(body)' });
  add({ name: 'an unsigned 3 MiB body', kind: 'orders', body: 'x'.repeat(3 * MAX_BODY_BYTES), signature: null, status: 413, code: 'payload_too_large', field: '(body)' });
  return attempts;
}

async function send(attempt: Attempt): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (attempt.contentType !== null) headers['content-type'] = attempt.contentType ?? 'application/json';
  const signature =
    attempt.signature === undefined
      ? signWebhook(DEV_SECRETS.WEBHOOK_SECRET, attempt.body)
      : typeof attempt.signature === 'function'
        ? attempt.signature(nowSeconds())
        : attempt.signature;
  if (signature !== null) headers['x-signature'] = signature;
  const response = await fetch(`${testStack().url}/webhooks/${attempt.kind}`, { method: 'POST', headers, body: attempt.body });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

async function storedCount(kind: Kind): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: tableName(kind), Select: 'COUNT', ExclusiveStartKey: startKey }));
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** Legitimate edges, each accepted and stored: [what, attempt, key of one stored item]. */
function edgeAttempts(): [string, Attempt, Record<string, string>][] {
  const order = (orderId: string, fields: Record<string, unknown> = {}) => ({ ...validItem.orders(0), orderId, ...fields });
  const one = (orderId: string, fields: Record<string, unknown> = {}) => Buffer.from(jsonText({ orders: [order(orderId, fields)] }));
  const signedAt = (offset: number, body: Buffer) => (t: number) => signWebhook(DEV_SECRETS.WEBHOOK_SECRET, body, t + offset);
  const macs = (body: Buffer, t: number) => [signWebhook('an-old-rotated-secret', body, t), signWebhook(DEV_SECRETS.WEBHOOK_SECRET, body, t)].map((header) => header.split('v1=')[1]);
  const exactly1MiB = (() => {
    const json = jsonText({ orders: [order('EDGE-1MIB')] });
    return Buffer.from(json + ' '.repeat(MAX_BODY_BYTES - Buffer.byteLength(json)));
  })();
  const id64 = `Az09._:-${'x'.repeat(56)}`;
  const edges: [string, Attempt, Record<string, string>][] = [
    ['a body of exactly 1 MiB', { name: '', kind: 'orders', body: exactly1MiB }, { orderId: 'EDGE-1MIB' }],
    // The time to the handler makes it older: a margin keeps it inside the 300 s on a loaded machine.
    ['a timestamp 270 s old', { name: '', kind: 'orders', body: one('EDGE-T-270'), signature: signedAt(-270, one('EDGE-T-270')) }, { orderId: 'EDGE-T-270' }],
    ['a timestamp 299 s ahead', { name: '', kind: 'orders', body: one('EDGE-T-AHEAD-299'), signature: signedAt(299, one('EDGE-T-AHEAD-299')) }, { orderId: 'EDGE-T-AHEAD-299' }],
    ['two v1 values, the old secret first', { name: '', kind: 'orders', body: one('EDGE-ROTATION'), signature: (t) => `t=${t},v1=${macs(one('EDGE-ROTATION'), t).join(',v1=')}` }, { orderId: 'EDGE-ROTATION' }],
    ['two v1 values, the current secret first', { name: '', kind: 'orders', body: one('EDGE-ROTATION-2'), signature: (t) => `t=${t},v1=${macs(one('EDGE-ROTATION-2'), t).reverse().join(',v1=')}` }, { orderId: 'EDGE-ROTATION-2' }],
    ['64-character ids of every allowed character', { name: '', kind: 'orders', body: one(id64, { clientId: id64 }) }, { orderId: id64 }],
    ['ids that contain dots', { name: '', kind: 'clients', body: Buffer.from(jsonText({ clients: [{ ...validItem.clients(0), clientId: '...', groupId: '.G.' }] })) }, { clientId: '...' }],
    ['the largest amount as a JSON number', { name: '', kind: 'orders', body: one('EDGE-MAX-NUMBER', { amount: raw('999999999999999.99') }) }, { orderId: 'EDGE-MAX-NUMBER' }],
    ['the largest amount as a string', { name: '', kind: 'orders', body: one('EDGE-MAX-STRING', { amount: '999999999999999.99' }) }, { orderId: 'EDGE-MAX-STRING' }],
    ['an amount of 0', { name: '', kind: 'orders', body: one('EDGE-ZERO', { amount: raw('0') }) }, { orderId: 'EDGE-ZERO' }],
    ['the first business date', { name: '', kind: 'orders', body: one('EDGE-YEAR-1000', { date: '1000-01-01' }) }, { orderId: 'EDGE-YEAR-1000' }],
    ['the last business date', { name: '', kind: 'orders', body: one('EDGE-YEAR-9999', { date: '9999-12-31' }) }, { orderId: 'EDGE-YEAR-9999' }],
    ['the last second of year 9999 in Moscow', { name: '', kind: 'orders', body: one('EDGE-LAST-SECOND', { date: '9999-12-31T20:59:59Z' }) }, { orderId: 'EDGE-LAST-SECOND' }],
    ['the largest version and quantity', { name: '', kind: 'orders', body: one('EDGE-MAX-INT', { version: raw('9007199254740991'), lines: [line({ quantity: raw('9007199254740991') })] }) }, { orderId: 'EDGE-MAX-INT' }],
    ['a brand of 200 UTF-16 units of emoji', { name: '', kind: 'prices', body: Buffer.from(jsonText({ prices: [{ ...validItem.prices(0), brand: '😀'.repeat(100) }] })) }, { sku: 'SW-SKU-0' }],
    ['an unknown __proto__ key (ignored, not stored)', { name: '', kind: 'groups', body: Buffer.from(jsonText({ groups: [validItem.groups(0)] }).replace('{"groupId"', '{"__proto__":{"admin":true},"groupId"')) }, { groupId: 'SW-G-0' }],
    ['Content-Type with charset=UTF-8', { name: '', kind: 'orders', body: one('EDGE-CHARSET'), contentType: 'application/json; charset=UTF-8' }, { orderId: 'EDGE-CHARSET' }],
    ['a vendor JSON Content-Type', { name: '', kind: 'orders', body: one('EDGE-VENDOR'), contentType: 'application/vnd.erp.orders+json' }, { orderId: 'EDGE-VENDOR' }],
    ['a batch of 500', { name: '', kind: 'orders', body: Buffer.from(jsonText({ orders: Array.from({ length: 500 }, (_, i) => order(`EDGE-500-${i}`)) })) }, { orderId: 'EDGE-500-499' }],
  ];
  return edges;
}

describe('a sweep of hostile webhook input', () => {
  const counts = { tried: 0, refused: 0, acceptedEdges: 0, serverErrors: 0 };

  it('refuses at least 150 generated hostile bodies and headers, each with a 4xx naming the field, storing nothing', async () => {
    const attempts = hostileAttempts();
    expect(attempts.length).toBeGreaterThanOrEqual(150);
    const answers = await mapWithConcurrency(attempts, 6, send);
    const wrong: string[] = [];
    answers.forEach((answer, i) => {
      const attempt = attempts[i]!;
      counts.tried++;
      if (answer.status >= 500) counts.serverErrors++;
      const issues: { path: string }[] = Array.isArray(answer.body?.issues) ? answer.body.issues : [];
      const named = issues.some((issue) => issue.path === attempt.field);
      if (answer.status === attempt.status && answer.body?.error === attempt.code && named) counts.refused++;
      else wrong.push(`${attempt.name}: expected ${attempt.status} ${attempt.code} at ${attempt.field}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    });
    expect(wrong.join('\n'), 'answers that were not as expected').toBe('');
    expect(counts.serverErrors).toBe(0);
    const stored = Object.fromEntries(await Promise.all(KINDS.map(async (kind) => [kind, await storedCount(kind)] as const)));
    expect(stored, 'a refused batch stored something').toEqual({ orders: 0, clients: 0, groups: 0, prices: 0 });
  });

  it('accepts and stores every legitimate edge', async () => {
    const edges = edgeAttempts();
    const wrong: string[] = [];
    for (const [what, attempt, key] of edges) {
      const answer = await send(attempt);
      if (answer.status >= 500) counts.serverErrors++;
      const { Item: storedItem } = await dynamo.send(new GetCommand({ TableName: tableName(attempt.kind), Key: key }));
      if (answer.status === 202 && storedItem && !Object.hasOwn(storedItem, '__proto__')) counts.acceptedEdges++;
      else wrong.push(`${what}: got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}, stored: ${Boolean(storedItem)}`);
    }
    expect(wrong.join('\n'), 'answers that were not as expected').toBe('');
    expect(counts.serverErrors).toBe(0);
    expect(({} as Record<string, unknown>).admin, 'a __proto__ key polluted Object.prototype').toBeUndefined();
    console.info(`webhook sweep: tried ${counts.tried}, refused ${counts.refused}, accepted edges ${counts.acceptedEdges}, 5xx ${counts.serverErrors}`);
  });
});
