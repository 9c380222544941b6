import { sqsConsumer } from '../lib/adapters/sqs/consumer.js';
import { parseSesSendEvent } from '../lib/adapters/ses/send-events.js';
import { recordSesSend } from '../lib/use-cases/record-email-send.js';

/**
 * SQS consumer of `email-send-events`: SES's Send events (configuration set → SNS → SQS, raw delivery),
 * each recorded on its email's delivery in the ledger.
 */
export const handler = sqsConsumer('SES send event', async (record) => {
  await recordSesSend(parseSesSendEvent(record.body));
});
