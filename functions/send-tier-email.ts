import { sqsConsumer } from '../lib/adapters/sqs/consumer.js';
import { parseTierChangeMessage } from '../lib/adapters/sqs/tier-change-message.js';
import { sendTierChangeEmail } from '../lib/use-cases/send-tier-email.js';

/**
 * SQS consumer of `tier-emails`: each tier change emailed at most once per eventId; failures are retried. One
 * email at a time: an invocation that dies leaves at most one email it cannot tell was sent (it may go out
 * twice), and the sends of a batch stay within SES's sending rate.
 */
export const handler = sqsConsumer(
  'tier email',
  async (record, context) => {
    await sendTierChangeEmail(parseTierChangeMessage(record.body), context);
  },
  { oneAtATime: true },
);
