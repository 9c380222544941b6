import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The process's one DynamoDB document client. The endpoint follows AWS_ENDPOINT_URL_DYNAMODB when set
 * (the local stack), so the same code talks to AWS and to the local server.
 */
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 6 }), {
  marshallOptions: { removeUndefinedValues: true },
});
