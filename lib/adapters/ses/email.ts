import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { sleep } from '../../concurrency.js';
import { EVENT_ID_TAG, eventIdTagValue, sesRefusedTheSend } from './send-events.js';

/**
 * The process's one SES client. The endpoint follows AWS_ENDPOINT_URL_SES when set (the local stack). The
 * request timeout turns a server that never answers into a failed send, which SQS retries, instead of a
 * function that hangs until Lambda kills it. One attempt per call: the SDK would also retry a timed-out
 * send, which SES may have taken, so `sendEmail` retries only what SES refused.
 */
export const ses = new SESClient({ maxAttempts: 1, requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true } });

/** Calls of SendEmail per send while SES answers with a refusal (throttling, a 5xx), with backoff in between. */
const SEND_CALLS = 3;

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
 * that was sent from one that was not. A refusal SES answered is tried again here, up to SEND_CALLS calls;
 * a failure nobody answered (a timeout, a reset connection) is thrown at once, since SES may have taken
 * the email: the caller's SQS record fails and its retry asks SES's Send events first.
 */
export async function sendEmail(email: OutgoingEmail): Promise<string> {
  for (let call = 1; ; call++) {
    try {
      return await sendEmailOnce(email);
    } catch (error) {
      if (call >= SEND_CALLS || !sesRefusedTheSend(error)) throw error;
      await sleep(100 * 2 ** call * (0.5 + Math.random()));
    }
  }
}

async function sendEmailOnce(email: OutgoingEmail): Promise<string> {
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
