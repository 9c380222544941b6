import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { recordDelivered } from '../adapters/dynamodb/deliveries.js';
import { sendEmail } from '../adapters/ses/email.js';
import { requiredEnv, tableName } from '../config.js';
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

/**
 * Emails a group about an event at most once per eventId (§2.6). Steps, per event: find the group; with no
 * contacts, log, count and stop (the event itself is applied regardless); otherwise render the email in
 * the group's locale by the program version in effect at the event's as-of date, and send it. The first
 * delivery claims the eventId in the idempotency table and records the outcome; a redelivery returns that
 * outcome and sends nothing. A failed send releases the claim, so the SQS retry sends it. A claim left by a
 * crash mid-send lapses when the invocation's deadline passes, and only then may the email go out again.
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
    const messageId = await sendEmail({ from: senderAddress, to: group.contacts, ...email });
    logger.info(`${what} emailed`, { eventId: event.eventId, groupId: event.groupId, messageId, recipients: group.contacts.length });
    metrics.addMetric(`${metricPrefix}Sent`, MetricUnit.Count, 1);
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
