import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The process's one DynamoDB document client. The endpoint follows AWS_ENDPOINT_URL_DYNAMODB when set
 * (the local stack), so the same code talks to AWS and to the local server.
 */
export const dynamo = DynamoDBDocumentClient.from(withoutRequestLogging(new DynamoDBClient({ maxAttempts: 6 })), {
  marshallOptions: { removeUndefinedValues: true },
});

/**
 * The SDK's logger middleware filters every request and response for sensitive fields to hand them to a
 * logger, even the default one that discards them: for a run's large query pages that was a tenth of the
 * worker's CPU. Nothing logs SDK calls here, so it is taken off the stack.
 */
function withoutRequestLogging(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
