import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import { dynamo } from './client.js';
import { jobKeys } from './job-keys.js';

/** The recalculation that holds the lease now, if any (whether or not its lease has lapsed). */
export async function leaseHolder(): Promise<{ runId: string; asOf: BusinessDate; leaseUntil: number } | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('runs'), Key: jobKeys.lease, ConsistentRead: true }));
  return Item ? { runId: Item.runId, asOf: Item.asOf, leaseUntil: Number(Item.leaseUntil) } : undefined;
}

/**
 * Takes the run lease for a new recalculation, or reports the run that holds it. One recalculation at a
 * time owns the group state, so shard workers may write it with batch writes; an abandoned lease lapses
 * after `leaseSeconds`. Simulations and reports never take it: they write no group state.
 */
export async function acquireRunLease(
  runId: string,
  asOf: BusinessDate,
  leaseSeconds: number,
): Promise<{ acquired: true; lapsed?: { runId: string } } | { acquired: false; holder: { runId: string; asOf: BusinessDate } }> {
  const now = Math.floor(Date.now() / 1000);
  try {
    const { Attributes } = await dynamo.send(
      new PutCommand({
        TableName: tableName('runs'),
        Item: { ...jobKeys.lease, runId, asOf, leaseUntil: now + leaseSeconds },
        ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now',
        ExpressionAttributeValues: { ':now': now },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes?.runId ? { acquired: true, lapsed: { runId: Attributes.runId } } : { acquired: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const holder = await leaseHolder();
    if (!holder) return acquireRunLease(runId, asOf, leaseSeconds);
    return { acquired: false, holder: { runId: holder.runId, asOf: holder.asOf } };
  }
}

/** Gives the lease back when the run that holds it has finished. */
export async function releaseRunLease(runId: string): Promise<void> {
  try {
    await dynamo.send(
      new DeleteCommand({
        TableName: tableName('runs'),
        Key: jobKeys.lease,
        ConditionExpression: 'runId = :runId',
        ExpressionAttributeValues: { ':runId': runId },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
