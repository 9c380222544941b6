import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import { dynamo } from './client.js';

/** The price list a group buys at from a date on: its tier's discount, set by one tier change (§2.8). */
export interface PriceAssignment {
  groupId: string;
  tierId: string;
  discountPercent: number;
  benefitCodes: string[];
  effectiveFrom: BusinessDate;
  eventId: string;
  /** The group's change counter of that tier change: orders assignments of one date. */
  seq: number;
}

/** The history key: by effective date, then change counter, so a group's assignments sort oldest first. */
function assignmentKey(assignment: Pick<PriceAssignment, 'groupId' | 'effectiveFrom' | 'seq'>) {
  return { groupId: assignment.groupId, effectiveKey: `${assignment.effectiveFrom}#${String(assignment.seq).padStart(10, '0')}` };
}

/**
 * Records an assignment unless its tier change was recorded before (one item per change: the key derives
 * from the eventId's date and counter). Returns the stored assignment, which on a repeat is the first one,
 * and whether this call created it.
 */
export async function recordPriceAssignment(assignment: PriceAssignment): Promise<{ assignment: PriceAssignment; created: boolean }> {
  const key = assignmentKey(assignment);
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName('priceAssignments'),
        Item: { ...assignment, ...key, recordedAt: new Date().toISOString() },
        ConditionExpression: 'attribute_not_exists(groupId)',
      }),
    );
    return { assignment, created: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('priceAssignments'), Key: key, ConsistentRead: true }));
  const stored: PriceAssignment = {
    groupId: Item!.groupId,
    tierId: Item!.tierId,
    discountPercent: Item!.discountPercent,
    benefitCodes: Item!.benefitCodes ?? [],
    effectiveFrom: Item!.effectiveFrom,
    eventId: Item!.eventId,
    seq: Item!.seq,
  };
  return { assignment: stored, created: false };
}
