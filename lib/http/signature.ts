import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Largest allowed distance between a signature's timestamp and now (§3.2). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Signs a webhook body the way the ERP must: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signWebhook(secret: string, rawBody: string, unixSeconds = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export type SignatureVerdict = 'valid' | 'missing' | 'malformed' | 'stale' | 'mismatch';

/**
 * Checks an `X-Signature` header against the raw body. Any one of several `v1=` values may match
 * (secret rotation); MACs are compared in constant time.
 */
export function verifyWebhookSignature(header: string | undefined, rawBody: string, secret: string, nowSeconds = Date.now() / 1000): SignatureVerdict {
  if (!header) return 'missing';
  let timestamp: string | undefined;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (!key || value === undefined || rest.length > 0) return 'malformed';
    if (key === 't') timestamp = value;
    else if (key === 'v1') macs.push(value);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || macs.length === 0) return 'malformed';
  if (macs.some((mac) => !/^[0-9a-f]{64}$/i.test(mac))) return 'malformed';
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  const matched = macs.reduce((any, mac) => timingSafeEqual(Buffer.from(mac, 'hex'), expected) || any, false);
  return matched ? 'valid' : 'mismatch';
}

/** Compares a presented secret with the expected one in constant time, whatever their lengths. */
export function secretsEqual(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected)) && expected.length > 0;
}
