import { GetQueueAttributesCommand, ListMessageMoveTasksCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { sqs } from './client.js';

/** Where a dead-letter queue's move back to its source queue stands (SQS message move task). */
export interface RedriveStatus {
  status: string;
  moved: number;
  toMove: number | null;
  startedAt: string | null;
  failureReason?: string;
}

async function queueAttributes(queueUrl: string): Promise<{ arn: string; messages: number }> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] }));
  return { arn: Attributes!.QueueArn!, messages: Number(Attributes?.ApproximateNumberOfMessages ?? 0) };
}

/** The most recent move task of a dead-letter queue, if any was started (SQS keeps them 14 days). */
export async function latestRedrive(deadLetterUrl: string): Promise<{ redrive: RedriveStatus | null; inDeadLetterQueue: number }> {
  const dlq = await queueAttributes(deadLetterUrl);
  const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 1 }));
  const [task] = Results;
  const redrive = task
    ? {
        status: task.Status ?? 'UNKNOWN',
        moved: task.ApproximateNumberOfMessagesMoved ?? 0,
        toMove: task.ApproximateNumberOfMessagesToMove ?? null,
        startedAt: task.StartedTimestamp ? new Date(task.StartedTimestamp).toISOString() : null,
        ...(task.FailureReason ? { failureReason: task.FailureReason } : {}),
      }
    : null;
  return { redrive, inDeadLetterQueue: dlq.messages };
}

/**
 * Starts moving every message of a dead-letter queue back to its source queue (SQS StartMessageMoveTask;
 * the destination is named, so messages sent to the DLQ directly move too). SQS runs one move per queue at
 * a time: while one is running, this answers with it instead of starting another.
 */
export async function startRedrive(deadLetterUrl: string, sourceUrl: string): Promise<{ started: boolean; redrive: RedriveStatus | null; inDeadLetterQueue: number }> {
  const current = await latestRedrive(deadLetterUrl);
  if (current.redrive?.status === 'RUNNING') return { started: false, ...current };
  const [dlq, source] = await Promise.all([queueAttributes(deadLetterUrl), queueAttributes(sourceUrl)]);
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: source.arn }));
  return { started: true, ...(await latestRedrive(deadLetterUrl)) };
}
