import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { beginEmailAttempt, forgetEmailAttempt, recordDelivered, renewEmailAttempt } from '../adapters/dynamodb/deliveries.js';
import { sendEmail, type OutgoingEmail } from '../adapters/ses/email.js';
import { sesRefusedTheSend } from '../adapters/ses/send-events.js';
import { requiredEnv, sesSendEventWaitSeconds, tableName } from '../config.js';
import type { BusinessDate } from '../domain/business-date.js';
import type { TierChange } from '../domain/group-evaluation.js';
import type { Notice } from '../domain/notices.js';
import type { Email, EmailProgram, EmailReader } from '../notifications/email.js';
import { composeNoticeEmail } from '../notifications/notice-email.js';
import { composeTierEmail } from '../notifications/tier-email.js';
import { logger, metrics } from '../observability.js';
import { loadProgramCatalog } from '../program/program-versions.js';
import { findGroup } from './group-directory.js';

/** Sender the local SES server accepts; in AWS SENDER_ADDRESS must name a verified SES identity. */
const LOCAL_SENDER = 'tiers@localhost.example';
/** How long an emailed eventId is remembered: beyond the queue's 14-day retention and any republish of the outbox. */
const EMAILED_EVENT_MEMORY_SECONDS = 30 * 24 * 3600;

const senderAddress = process.env.SENDER_ADDRESS || (process.env.AWS_ENDPOINT_URL_SES ? LOCAL_SENDER : requiredEnv('SENDER_ADDRESS'));
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: tableName('idempotency') });

/** What became of an event's email; stored as the idempotent result of its eventId. */
export type EmailOutcome = { kind: 'sent'; messageId: string } | { kind: 'no-contacts' };

/** What the email queue carries an email for: a tier change or a notice, of one group at one as-of date. */
interface EmailEvent {
  eventId: string;
  groupId: string;
  asOf: BusinessDate;
}

/** Thrown while a retry waits for SES's Send event of an earlier attempt; SQS brings the message back later. */
export class AwaitingSesSendEvent extends Error {
  override name = 'AwaitingSesSendEvent';
}

/**
 * Sends an email unless SES already took it in an earlier attempt that ended unseen: the consumer died
 * between SES's accept and its own record, or SES did not answer. Every attempt on a delivery the ledger
 * knows is noted before SES is called; a retry that finds such a note reads SES's Send event for the
 * eventId instead of guessing. Found, the email is not sent again. Not found, the retry waits (fails, and
 * SQS brings it back) until SES_SEND_EVENT_WAIT_SECONDS have passed since that attempt, and only then sends:
 * SES never took it. An attempt SES answered with a refusal is forgotten, so its retry goes out at once.
 */
async function sendUnlessSesTookIt(email: OutgoingEmail): Promise<{ messageId: string; takenEarlier: boolean }> {
  const attempts = await beginEmailAttempt(email.eventId, new Date().toISOString());
  if (attempts.sesAccepted) return { messageId: attempts.sesAccepted.messageId, takenEarlier: true };
  if (attempts.unfinishedAttemptAt) {
    const waitedSeconds = (Date.now() - Date.parse(attempts.unfinishedAttemptAt)) / 1000;
    if (waitedSeconds < sesSendEventWaitSeconds) {
      throw new AwaitingSesSendEvent(
        `An attempt at ${attempts.unfinishedAttemptAt} ended unseen and SES has sent no Send event for it yet; ` +
          `sending again only ${sesSendEventWaitSeconds} s after it`,
      );
    }
    await renewEmailAttempt(email.eventId, new Date().toISOString());
  }
  try {
    return { messageId: await sendEmail(email), takenEarlier: false };
  } catch (error) {
    if (attempts.tracked && sesRefusedTheSend(error)) await forgetEmailAttempt(email.eventId);
    throw error;
  }
}

/**
 * Emails a group about an event at most once per eventId (§2.6). Steps, per event: find the group; with no
 * contacts, log, count and stop (the event itself is applied regardless); otherwise render the email in
 * the group's locale by the program version in effect at the event's as-of date, and send it. The first
 * delivery claims the eventId in the idempotency table and records the outcome; a redelivery returns that
 * outcome and sends nothing. A failed send releases the claim, so the SQS retry sends it. A claim left by a
 * crash mid-send lapses when the invocation's deadline passes; the retry then asks SES's Send events
 * whether that email went out before sending it (`sendUnlessSesTookIt`).
 */
function emailOncePerEvent<E extends EmailEvent>(what: string, { keyPrefix, metricPrefix }: { keyPrefix: string; metricPrefix: string }, compose: (event: E, reader: EmailReader, program: EmailProgram) => Email) {
  const emailGroup = async (event: E): Promise<EmailOutcome> => {
    const [group, catalog] = await Promise.all([findGroup(event.groupId), loadProgramCatalog()]);
    if (!group || group.contacts.length === 0) {
      logger.warn(`${what} not emailed: the group has no contacts`, { eventId: event.eventId, groupId: event.groupId });
      metrics.addMetric(`${metricPrefix}SkippedNoContacts`, MetricUnit.Count, 1);
      return { kind: 'no-contacts' };
    }
    const email = compose(event, group, catalog.inEffectAt(event.asOf).program);
    const { messageId, takenEarlier } = await sendUnlessSesTookIt({ eventId: event.eventId, from: senderAddress, to: group.contacts, ...email });
    if (takenEarlier) {
      logger.warn(`${what} not emailed again: SES took it in an attempt that ended unseen`, { eventId: event.eventId, groupId: event.groupId, messageId });
      metrics.addMetric(`${metricPrefix}FoundSentBySes`, MetricUnit.Count, 1);
    } else {
      logger.info(`${what} emailed`, { eventId: event.eventId, groupId: event.groupId, messageId, recipients: group.contacts.length });
      metrics.addMetric(`${metricPrefix}Sent`, MetricUnit.Count, 1);
    }
    return { kind: 'sent', messageId };
  };
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'eventId', throwOnNoIdempotencyKey: true, expiresAfterSeconds: EMAILED_EVENT_MEMORY_SECONDS });
  const emailGroupOnce = makeIdempotent(emailGroup, { persistenceStore, config, keyPrefix });
  return async (event: E, context: Context): Promise<EmailOutcome> => {
    config.registerLambdaContext(context);
    const outcome = await emailGroupOnce(event);
    await recordDelivered(event.eventId, 'email', outcome.kind);
    return outcome;
  };
}

/** Emails a tier change (tier-up or tier-down) at most once per eventId. */
export const sendTierChangeEmail = emailOncePerEvent<TierChange>('tier change', { keyPrefix: 'tier-email', metricPrefix: 'TierEmails' }, composeTierEmail);

/** Emails an at-risk or near-next-tier notice at most once per eventId. */
export const sendNoticeEmail = emailOncePerEvent<Notice>('notice', { keyPrefix: 'notice-email', metricPrefix: 'NoticeEmails' }, composeNoticeEmail);
