import { isUtf8 } from 'node:buffer';

/**
 * Decodes a body as UTF-8, or gives the offset of the first byte that is not valid UTF-8 (overlong forms,
 * encoded surrogates and code points past U+10FFFF included), so nothing is silently replaced by U+FFFD.
 */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; offset: number } {
  if (isUtf8(bytes)) return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
  return { ok: false, offset: firstInvalidByte(bytes) };
}

/** Sequence length and smallest code point for each lead byte; 0 for bytes that cannot start a sequence. */
function sequenceOf(lead: number): [length: number, minimum: number] {
  if (lead < 0x80) return [1, 0];
  if (lead >= 0xc2 && lead < 0xe0) return [2, 0x80];
  if (lead >= 0xe0 && lead < 0xf0) return [3, 0x800];
  if (lead >= 0xf0 && lead < 0xf5) return [4, 0x10000];
  return [0, 0];
}

function firstInvalidByte(bytes: Uint8Array): number {
  for (let offset = 0; offset < bytes.length; ) {
    const lead = bytes[offset]!;
    const [length, minimum] = sequenceOf(lead);
    if (length === 0) return offset;
    let codePoint = length === 1 ? lead : lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[offset + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return offset;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return offset;
    offset += length;
  }
  return bytes.length; // not reached for bytes isUtf8 refused: the scan above stops at the first bad one
}
