// Runs one Lambda bundle the way the Node.js runtime does: import index.mjs, call `handler(event, context)`,
// print the result as JSON. Usage: node invoke-bundle.mjs <bundle/index.mjs> '<event JSON>' <timeout seconds>
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const [bundle, eventJson, timeoutSeconds = '30'] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutSeconds) * 1000;
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bundle-under-test';
const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'bundle-test',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};
const { handler } = await import(pathToFileURL(bundle).href);
const result = await handler(JSON.parse(eventJson), context);
process.stdout.write(JSON.stringify(result ?? null));
