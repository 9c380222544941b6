import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../../lib/http/utf8.js';

describe('decodeUtf8', () => {
  it.each([
    ['ASCII', Buffer.from('{"a":1}'), '{"a":1}'],
    ['Cyrillic, the euro sign and an emoji', Buffer.from('Ж€😀'), 'Ж€😀'],
    ['U+10FFFF, the last code point', Buffer.from([0xf4, 0x8f, 0xbf, 0xbf]), '\u{10ffff}'],
    ['nothing', Buffer.alloc(0), ''],
  ])('decodes %s', (_, bytes, text) => {
    expect(decodeUtf8(bytes)).toEqual({ ok: true, text });
  });

  it.each([
    ['a Latin-1 é', [0x43, 0x61, 0x66, 0xe9], 3],
    ['an overlong "/"', [0x61, 0xc0, 0xaf], 1],
    ['an overlong 3-byte NUL', [0xe0, 0x80, 0x80], 0],
    ['an encoded surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a sequence cut short at the end', [0x61, 0xe2, 0x82], 1],
    ['a stray continuation byte', [0x80], 0],
    ['a 0xFF byte', [0x7b, 0xff], 1],
    ['a lead byte followed by ASCII', [0xd0, 0x41], 0],
  ])('gives the offset of %s', (_, bytes, offset) => {
    expect(decodeUtf8(Buffer.from(bytes))).toEqual({ ok: false, offset });
  });
});
