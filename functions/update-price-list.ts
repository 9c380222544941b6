import { sqsConsumer } from '../lib/adapters/sqs/consumer.js';
import { parseTierChangeMessage } from '../lib/adapters/sqs/tier-change-message.js';
import { updatePriceList } from '../lib/use-cases/update-price-list.js';

/** SQS consumer of `price-list-updates`: records the assignment and calls the ERP back; failures are retried. */
export const handler = sqsConsumer('price list update', async (record) => {
  await updatePriceList(parseTierChangeMessage(record.body));
});
