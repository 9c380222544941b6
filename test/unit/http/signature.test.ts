import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_TOLERANCE_SECONDS, secretsEqual, signWebhook, verifyWebhookSignature } from '../../../lib/http/signature.js';

const SECRET = 'test-webhook-secret-0123456789';
const BODY = '{"orders":[{"orderId":"O-1"}]}';
const NOW = 1_795_000_000;

/** The MAC as §3.2 defines it, computed independently of signWebhook. */
const mac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

describe('signWebhook', () => {
  it('produces t=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>', () => {
    expect(signWebhook(SECRET, BODY, NOW)).toBe(`t=${NOW},v1=${mac(SECRET, NOW, BODY)}`);
  });
});

describe('verifyWebhookSignature', () => {
  const valid = `t=${NOW},v1=${mac(SECRET, NOW, BODY)}`;

  it('accepts a correct signature', () => {
    expect(verifyWebhookSignature(valid, BODY, SECRET, NOW)).toBe('valid');
  });

  it('accepts spaces after the commas and upper-case hex', () => {
    expect(verifyWebhookSignature(`t=${NOW}, v1=${mac(SECRET, NOW, BODY).toUpperCase()}`, BODY, SECRET, NOW)).toBe('valid');
  });

  it.each([undefined, ''])('reports a missing header (%j)', (header) => {
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW)).toBe('missing');
  });

  it.each([
    ['no v1', `t=${NOW}`],
    ['no t', `v1=${mac(SECRET, NOW, BODY)}`],
    ['not key=value', 'garbage'],
    ['a value holding "="', `t=${NOW},v1=${mac(SECRET, NOW, BODY)}=`],
    ['a non-numeric t', `t=now,v1=${mac(SECRET, NOW, BODY)}`],
    ['a negative t', `t=-${NOW},v1=${mac(SECRET, NOW, BODY)}`],
    ['a v1 that is not 64 hex digits', `t=${NOW},v1=${mac(SECRET, NOW, BODY).slice(1)}`],
    ['a v1 with non-hex digits', `t=${NOW},v1=${'z'.repeat(64)}`],
    ['a v1 that is base64', `t=${NOW},v1=${createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('base64')}`],
    ['one malformed v1 among good ones', `t=${NOW},v1=${mac(SECRET, NOW, BODY)},v1=abc`],
    ['two timestamps', `t=${NOW},t=${NOW + 1},v1=${mac(SECRET, NOW, BODY)}`],
  ])('reports a malformed header: %s', (_, header) => {
    expect(verifyWebhookSignature(header, BODY, SECRET, NOW)).toBe('malformed');
  });

  it.each([
    ['exactly the tolerance in the past', NOW - SIGNATURE_TOLERANCE_SECONDS, 'valid'],
    ['exactly the tolerance in the future', NOW + SIGNATURE_TOLERANCE_SECONDS, 'valid'],
    ['one second too old', NOW - SIGNATURE_TOLERANCE_SECONDS - 1, 'stale'],
    ['one second too far in the future', NOW + SIGNATURE_TOLERANCE_SECONDS + 1, 'stale'],
    ['an hour old', NOW - 3600, 'stale'],
  ])('judges a timestamp %s', (_, t, verdict) => {
    expect(verifyWebhookSignature(`t=${t},v1=${mac(SECRET, t, BODY)}`, BODY, SECRET, NOW)).toBe(verdict);
  });

  it('uses 300 seconds as the tolerance (§3.2)', () => {
    expect(SIGNATURE_TOLERANCE_SECONDS).toBe(300);
  });

  it.each([
    ['another secret', `t=${NOW},v1=${mac('another-secret-0123456789', NOW, BODY)}`, BODY],
    ['another body', valid, `${BODY} `],
    ['another timestamp inside the window', `t=${NOW - 1},v1=${mac(SECRET, NOW, BODY)}`, BODY],
    ['the MAC of the body alone, without "<t>."', `t=${NOW},v1=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`, BODY],
  ])('reports a wrong MAC: %s', (_, header, body) => {
    expect(verifyWebhookSignature(header, body, SECRET, NOW)).toBe('mismatch');
  });

  it('accepts several v1 values when any one matches (secret rotation), wherever it stands', () => {
    const old = mac('old-secret-0123456789abcdef', NOW, BODY);
    const current = mac(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(`t=${NOW},v1=${old},v1=${current}`, BODY, SECRET, NOW)).toBe('valid');
    expect(verifyWebhookSignature(`t=${NOW},v1=${current},v1=${old}`, BODY, SECRET, NOW)).toBe('valid');
    expect(verifyWebhookSignature(`t=${NOW},v1=${old},v1=${old}`, BODY, SECRET, NOW)).toBe('mismatch');
  });

  it('ignores signature schemes it does not know', () => {
    expect(verifyWebhookSignature(`t=${NOW},v0=deadbeef,v1=${mac(SECRET, NOW, BODY)}`, BODY, SECRET, NOW)).toBe('valid');
  });

  it('signs the body byte for byte, multi-byte characters included', () => {
    const body = '{"groups":[{"name":"ГК Ромашка"}]}';
    expect(verifyWebhookSignature(signWebhook(SECRET, body, NOW), body, SECRET, NOW)).toBe('valid');
  });
});

describe('secretsEqual', () => {
  it.each([
    ['equal tokens', 'dev-api-token-change-me', 'dev-api-token-change-me', true],
    ['a different token of the same length', 'dev-api-token-change-mE', 'dev-api-token-change-me', false],
    ['a prefix', 'dev-api-token', 'dev-api-token-change-me', false],
    ['a longer token', 'dev-api-token-change-me!', 'dev-api-token-change-me', false],
    ['an empty presented token', '', 'dev-api-token-change-me', false],
    ['both empty (an unset secret never matches)', '', '', false],
  ])('%s → %s', (_, presented, expected, equal) => {
    expect(secretsEqual(presented, expected)).toBe(equal);
  });
});

describe('signatures over the exact bytes of a body', () => {
  const latin1 = Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]); // {"é"} in Latin-1: not UTF-8
  const macOfBytes = createHmac('sha256', SECRET).update(`${NOW}.`).update(latin1).digest('hex');

  it('signs and verifies bytes that are not UTF-8 without decoding them', () => {
    expect(signWebhook(SECRET, latin1, NOW)).toBe(`t=${NOW},v1=${macOfBytes}`);
    expect(verifyWebhookSignature(`t=${NOW},v1=${macOfBytes}`, latin1, SECRET, NOW)).toBe('valid');
  });

  it('does not accept the MAC of the same bytes after a lossy UTF-8 round trip', () => {
    const repaired = Buffer.from(latin1.toString('utf8'));
    expect(verifyWebhookSignature(`t=${NOW},v1=${macOfBytes}`, repaired, SECRET, NOW)).toBe('mismatch');
  });

  it('gives text and its UTF-8 bytes the same signature', () => {
    expect(signWebhook(SECRET, 'Ромашка', NOW)).toBe(signWebhook(SECRET, Buffer.from('Ромашка'), NOW));
  });
});
