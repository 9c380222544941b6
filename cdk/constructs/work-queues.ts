import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueueName, queues, type QueueDefinition, type QueueKey } from '../../lib/infra/resources.js';

/** How long a dead letter waits for someone to look at it and redrive it (the SQS maximum). */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** A work queue and the dead-letter queue its failing messages end in. */
export interface WorkQueue {
  readonly definition: QueueDefinition;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
}

/**
 * Every queue of lib/infra/resources.ts with its dead-letter queue: visibility timeout, retention and
 * maxReceiveCount from the definition; SQS-managed encryption and TLS-only access on both.
 */
export class WorkQueues extends Construct {
  readonly byKey: Record<QueueKey, WorkQueue>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const entries = (Object.entries(queues) as [QueueKey, QueueDefinition][]).map(
      ([key, definition]) => [key, this.createQueue(definition)] as const,
    );
    this.byKey = Object.fromEntries(entries) as Record<QueueKey, WorkQueue>;
  }

  private createQueue(definition: QueueDefinition): WorkQueue {
    const deadLetterQueue = new Queue(this, deadLetterQueueName(definition), {
      retentionPeriod: DEAD_LETTER_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const queue = new Queue(this, definition.name, {
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(definition.retentionDays),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    return { definition, queue, deadLetterQueue };
  }
}
