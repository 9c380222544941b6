import { sqsConsumer } from '../lib/adapters/sqs/consumer.js';
import { parseEmailQueueMessage } from '../lib/adapters/sqs/notice-message.js';
import { sendNoticeEmail, sendTierChangeEmail } from '../lib/use-cases/send-tier-email.js';

/**
 * SQS consumer of `tier-emails`: each tier change and notice emailed at most once per eventId; failures are
 * retried. One email at a time: an invocation that dies leaves at most one email it cannot tell was sent (it
 * may go out twice), and the sends of a batch stay within SES's sending rate.
 */
export const handler = sqsConsumer(
  'email',
  async (record, context) => {
    const message = parseEmailQueueMessage(record.body);
    if (message.type === 'notice') await sendNoticeEmail(message.notice, context);
    else await sendTierChangeEmail(message.change, context);
  },
  { oneAtATime: true },
);
