import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { recordSesAccepted } from '../adapters/dynamodb/deliveries.js';
import type { SesSend } from '../adapters/ses/send-events.js';
import { logger, metrics } from '../observability.js';

/**
 * Records SES's Send event on the email's delivery, so a retry of an attempt that ended unseen knows SES
 * took the email and does not send it again. An event without an eventId, or for an eventId the ledger
 * does not know, is logged and dropped: no retry could ever ask for it.
 */
export async function recordSesSend(send: SesSend | undefined): Promise<void> {
  if (!send) {
    logger.warn('SES Send event without an eventId tag: not an email of this system');
    return;
  }
  const known = await recordSesAccepted(send.eventId, { messageId: send.messageId, at: send.at });
  if (!known) logger.warn('SES Send event for an eventId the delivery ledger does not know', { ...send });
  metrics.addMetric(known ? 'SesSendEventsRecorded' : 'SesSendEventsUnknown', MetricUnit.Count, 1);
}
