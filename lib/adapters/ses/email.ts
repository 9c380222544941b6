import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';

/**
 * The process's one SES client. The endpoint follows AWS_ENDPOINT_URL_SES when set (the local stack). The
 * request timeout turns a server that never answers into a failed send, which SQS retries, instead of a
 * function that hangs until Lambda kills it.
 */
export const ses = new SESClient({ requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true } });

/** One email to one group: every address in `to`, HTML and plain-text alternatives. */
export interface OutgoingEmail {
  from: string;
  to: readonly string[];
  subject: string;
  html: string;
  text: string;
}

/**
 * Sends an email with SES v1 SendEmail and returns its SES message id. Throttling and transient errors are
 * thrown after the SDK's own retries, so the caller's SQS record fails and comes back later.
 */
export async function sendEmail(email: OutgoingEmail): Promise<string> {
  const charset = 'UTF-8';
  const { MessageId } = await ses.send(
    new SendEmailCommand({
      Source: email.from,
      Destination: { ToAddresses: [...email.to] },
      Message: {
        Subject: { Data: email.subject, Charset: charset },
        Body: { Html: { Data: email.html, Charset: charset }, Text: { Data: email.text, Charset: charset } },
      },
    }),
  );
  return MessageId!;
}
