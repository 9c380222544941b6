import { deadLetterQueueUrl, queueUrl } from '../config.js';
import { latestRedrive, startRedrive } from '../adapters/sqs/redrive.js';
import { deadLetterQueueName, queues, type QueueKey } from '../infra/resources.js';
import { notFound } from '../http/errors.js';

/** The queue an operator names (`tier-emails`, or its DLQ `tier-emails-dlq`); 404 naming the known ones. */
export function queueNamed(name: string): QueueKey {
  const found = (Object.entries(queues) as [QueueKey, (typeof queues)[QueueKey]][]).find(
    ([, definition]) => definition.name === name || deadLetterQueueName(definition) === name,
  );
  if (!found) throw notFound(`No queue ${name}; the queues are ${Object.values(queues).map((definition) => definition.name).join(', ')}`);
  return found[0];
}

function names(key: QueueKey) {
  return { queue: queues[key].name, deadLetterQueue: deadLetterQueueName(queues[key]) };
}

/** Starts moving a queue's dead letters back to it (or reports the move already under way). */
export async function redriveQueue(key: QueueKey) {
  return { ...names(key), ...(await startRedrive(deadLetterQueueUrl(key), queueUrl(key))) };
}

/** How the latest move of a queue's dead letters stands, and how many are in its dead-letter queue now. */
export async function redriveStatus(key: QueueKey) {
  return { ...names(key), ...(await latestRedrive(deadLetterQueueUrl(key))) };
}
