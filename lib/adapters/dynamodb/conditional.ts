import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type UpdateCommandInput, type UpdateCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './client.js';

/**
 * Runs a conditional update; undefined when its condition did not hold (the item is not in the state the
 * caller expected, which is an answer, not an error). Other failures are thrown.
 */
export async function updateIfConditionHolds(input: UpdateCommandInput): Promise<UpdateCommandOutput | undefined> {
  try {
    return await dynamo.send(new UpdateCommand(input));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}
