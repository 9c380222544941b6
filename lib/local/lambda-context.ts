import { randomUUID } from 'node:crypto';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';

/** A Lambda context as the runtime would pass it, for invoking handlers in-process. */
export function lambdaContext(functionName: string, timeoutSeconds = 30): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    // No ARN locally: a placeholder one would end up in every log line as if it were real.
    invokedFunctionArn: '',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Tells Powertools and the AWS SDK that invocations overlap in this process, as on Lambda Managed Instances.
 * Must be in the environment before the first AWS SDK call: that call creates the process's invoke store.
 */
export const CONCURRENT_INVOCATIONS_ENV = { AWS_LAMBDA_MAX_CONCURRENCY: '1000' } as const;

/**
 * Runs a handler the way Lambda runs concurrent invocations in one execution environment: each inside its
 * own invoke-store context, so the shared Powertools logger and metrics keep each invocation's function
 * name, request id and metrics apart (the local stack runs every function in one process).
 */
export async function invokeLocally<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
  event: Event,
  context: Context,
): Promise<Result> {
  const store = await InvokeStore.getInstanceAsync(true);
  return store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () => handler(event, context));
}
