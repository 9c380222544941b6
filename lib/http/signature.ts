import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Largest allowed distance between a signature's timestamp and now (§3.2). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** A body as sent: its exact bytes, or text that goes on the wire as UTF-8. */
export type RawBody = string | Uint8Array;

/** HMAC-SHA256 of `<t>.<body>` over the body's exact bytes. */
function macOf(secret: string, timestamp: string, rawBody: RawBody): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** Signs a webhook body the way the ERP must: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signWebhook(secret: string, rawBody: RawBody, unixSeconds = Math.floor(Date.now() / 1000)): string {
  return `t=${unixSeconds},v1=${macOf(secret, String(unixSeconds), rawBody).toString('hex')}`;
}

export type SignatureVerdict = 'valid' | 'missing' | 'malformed' | 'stale' | 'mismatch';

/**
 * Checks an `X-Signature` header against the raw body's bytes. Any one of several `v1=` values may match
 * (secret rotation); MACs are compared in constant time. A header with two timestamps is malformed.
 */
export function verifyWebhookSignature(header: string | undefined, rawBody: RawBody, secret: string, nowSeconds = Date.now() / 1000): SignatureVerdict {
  if (!header) return 'missing';
  let timestamp: string | undefined;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (!key || value === undefined || rest.length > 0) return 'malformed';
    if (key === 't' && timestamp !== undefined) return 'malformed';
    if (key === 't') timestamp = value;
    else if (key === 'v1') macs.push(value);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || macs.length === 0) return 'malformed';
  if (macs.some((mac) => !/^[0-9a-f]{64}$/i.test(mac))) return 'malformed';
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = macOf(secret, timestamp, rawBody);
  const matched = macs.reduce((any, mac) => timingSafeEqual(Buffer.from(mac, 'hex'), expected) || any, false);
  return matched ? 'valid' : 'mismatch';
}

/** Compares a presented secret with the expected one in constant time, whatever their lengths. */
export function secretsEqual(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected)) && expected.length > 0;
}
