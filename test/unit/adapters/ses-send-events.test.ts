import { describe, expect, it } from 'vitest';
import { eventIdFromTagValue, eventIdTagValue, parseSesSendEvent, sesRefusedTheSend } from '../../../lib/adapters/ses/send-events.js';

const sendEvent = (tags: Record<string, string[]>) =>
  JSON.stringify({ eventType: 'Send', mail: { timestamp: '2026-12-02T03:00:00.000Z', messageId: '0100-abc', source: 'a@b.c', destination: ['x@y.z'], tags }, send: {} });

describe('SES Send events', () => {
  it('carries any eventId in a tag value of only the characters SES allows, and back', () => {
    for (const eventId of ['G-1/2026-12-01/1', 'ГК:Ромашка.1/2026-12-01/12', 'a'.repeat(64) + '/2026-12-01/3']) {
      const value = eventIdTagValue(eventId);
      expect(value).toMatch(/^[A-Za-z0-9_\-.@]{1,256}$/);
      expect(eventIdFromTagValue(value)).toBe(eventId);
    }
  });

  it('reads the eventId, message id and time of a Send event', () => {
    expect(parseSesSendEvent(sendEvent({ 'ses:configuration-set': ['set'], eventId: [eventIdTagValue('G-1/2026-12-01/1')] }))).toEqual({
      eventId: 'G-1/2026-12-01/1',
      messageId: '0100-abc',
      at: '2026-12-02T03:00:00.000Z',
    });
  });

  it('passes over a Send event without an eventId tag, and refuses anything that is not a Send event', () => {
    expect(parseSesSendEvent(sendEvent({ 'ses:configuration-set': ['set'] }))).toBeUndefined();
    expect(() => parseSesSendEvent(JSON.stringify({ eventType: 'Bounce', mail: {} }))).toThrow();
    expect(() => parseSesSendEvent('not json')).toThrow();
  });

  it('tells a refusal SES answered (an HTTP status) from a failure nobody answered (the email may have been taken)', () => {
    expect(sesRefusedTheSend({ name: 'Throttling', $metadata: { httpStatusCode: 400 } })).toBe(true);
    expect(sesRefusedTheSend({ name: 'TimeoutError', $metadata: {} })).toBe(false);
    expect(sesRefusedTheSend(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
  });
});
