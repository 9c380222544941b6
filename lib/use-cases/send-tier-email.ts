import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { recordDelivered } from '../adapters/dynamodb/deliveries.js';
import { sendEmail } from '../adapters/ses/email.js';
import { requiredEnv, tableName } from '../config.js';
import type { TierChange } from '../domain/group-evaluation.js';
import { composeTierEmail } from '../notifications/tier-email.js';
import { logger, metrics } from '../observability.js';
import { loadProgramCatalog } from '../program/program-versions.js';
import { findGroup } from './group-directory.js';

/** Sender the local SES server accepts; in AWS SENDER_ADDRESS must name a verified SES identity. */
const LOCAL_SENDER = 'tiers@localhost.example';
/** How long an emailed eventId is remembered: beyond the queue's 14-day retention and any republish of the outbox. */
const EMAILED_EVENT_MEMORY_SECONDS = 30 * 24 * 3600;

const senderAddress = process.env.SENDER_ADDRESS || (process.env.AWS_ENDPOINT_URL_SES ? LOCAL_SENDER : requiredEnv('SENDER_ADDRESS'));

/** What became of a tier change's email; stored as the idempotent result of its eventId. */
export type TierEmailOutcome = { kind: 'sent'; messageId: string } | { kind: 'no-contacts' };

/**
 * Emails a group about its tier change. Steps: find the group; with no contacts, log, count and stop (the
 * change itself is applied regardless); otherwise render the email in the group's locale by the program
 * version in effect at the change's as-of date, and send it.
 */
async function emailTierChange(change: TierChange): Promise<TierEmailOutcome> {
  const [group, catalog] = await Promise.all([findGroup(change.groupId), loadProgramCatalog()]);
  if (!group || group.contacts.length === 0) {
    logger.warn('tier change not emailed: the group has no contacts', { eventId: change.eventId, groupId: change.groupId });
    metrics.addMetric('TierEmailsSkippedNoContacts', MetricUnit.Count, 1);
    return { kind: 'no-contacts' };
  }
  const email = composeTierEmail(change, group, catalog.inEffectAt(change.asOf).program);
  const messageId = await sendEmail({ from: senderAddress, to: group.contacts, ...email });
  logger.info('tier change emailed', { eventId: change.eventId, groupId: change.groupId, messageId, recipients: group.contacts.length });
  metrics.addMetric('TierEmailsSent', MetricUnit.Count, 1);
  return { kind: 'sent', messageId };
}

const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: 'eventId',
  throwOnNoIdempotencyKey: true,
  expiresAfterSeconds: EMAILED_EVENT_MEMORY_SECONDS,
});
const emailTierChangeOnce = makeIdempotent(emailTierChange, {
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: tableName('idempotency') }),
  config: idempotency,
  keyPrefix: 'tier-email',
});

/**
 * Emails a tier change at most once per eventId (§2.6): the first delivery claims the eventId in the
 * idempotency table and records the outcome; a redelivery returns that outcome and sends nothing. A failed
 * send releases the claim, so the SQS retry sends it. A claim left by a crash mid-send lapses when the
 * invocation's deadline passes, and only then may the email go out again (had SES accepted it just before
 * the crash, the group gets it twice: nothing can tell). Then the delivery ledger records the email channel
 * done, so a sweep stops publishing the change to this queue.
 */
export async function sendTierChangeEmail(change: TierChange, context: Context): Promise<TierEmailOutcome> {
  idempotency.registerLambdaContext(context);
  const outcome = await emailTierChangeOnce(change);
  await recordDelivered(change.eventId, 'email', outcome.kind);
  return outcome;
}
