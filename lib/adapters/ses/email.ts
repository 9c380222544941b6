import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { EVENT_ID_TAG, eventIdTagValue } from './send-events.js';

/**
 * The process's one SES client. The endpoint follows AWS_ENDPOINT_URL_SES when set (the local stack). The
 * request timeout turns a server that never answers into a failed send, which SQS retries, instead of a
 * function that hangs until Lambda kills it.
 */
export const ses = new SESClient({ requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true } });

/** One email to one group about one event: every address in `to`, HTML and plain-text alternatives. */
export interface OutgoingEmail {
  /** The change or notice it tells of; SES's Send event carries it back as a message tag. */
  eventId: string;
  from: string;
  to: readonly string[];
  subject: string;
  html: string;
  text: string;
}

/**
 * Sends an email with SES v1 SendEmail and returns its SES message id. With SES_CONFIGURATION_SET set, SES
 * publishes a Send event tagged with the eventId once it has taken the email, so a retry can tell an email
 * that was sent from one that was not. Throttling and transient errors are thrown after the SDK's own
 * retries, so the caller's SQS record fails and comes back later.
 */
export async function sendEmail(email: OutgoingEmail): Promise<string> {
  const charset = 'UTF-8';
  const { MessageId } = await ses.send(
    new SendEmailCommand({
      Source: email.from,
      ...(process.env.SES_CONFIGURATION_SET ? { ConfigurationSetName: process.env.SES_CONFIGURATION_SET } : {}),
      Tags: [{ Name: EVENT_ID_TAG, Value: eventIdTagValue(email.eventId) }],
      Destination: { ToAddresses: [...email.to] },
      Message: {
        Subject: { Data: email.subject, Charset: charset },
        Body: { Html: { Data: email.html, Charset: charset }, Text: { Data: email.text, Charset: charset } },
      },
    }),
  );
  return MessageId!;
}
