import { sqsConsumer } from '../lib/adapters/sqs/consumer.js';
import { parseTierChangeMessage } from '../lib/adapters/sqs/tier-change-message.js';
import { sendTierChangeEmail } from '../lib/use-cases/send-tier-email.js';

/** SQS consumer of `tier-emails`: each tier change emailed at most once per eventId; failures are retried. */
export const handler = sqsConsumer('tier email', async (record, context) => {
  await sendTierChangeEmail(parseTierChangeMessage(record.body), context);
});
