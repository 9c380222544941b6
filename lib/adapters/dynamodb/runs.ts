import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../config.js';
import type { BusinessDate } from '../../domain/business-date.js';
import { dynamo } from './client.js';

/** Key of the item that remembers the newest as-of date of a completed run. */
export const LATEST_RUN_KEY = { pk: 'pointer', sk: 'latest-completed' } as const;

/** The newest as-of date any run has completed for, or null before the first run. */
export async function latestCompletedAsOf(): Promise<BusinessDate | null> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('runs'), Key: LATEST_RUN_KEY }));
  return (Item?.asOf as BusinessDate | undefined) ?? null;
}
