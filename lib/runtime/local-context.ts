import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** A Lambda context as the runtime passes it, for invoking handlers locally (CLI, twin, tests). */
export function lambdaContext(
  functionName: string,
  requestId: string = randomUUID(),
  stage = 'dev',
): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `tunnel-warden-${stage}-${functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111122223333:function:tunnel-warden-${stage}-${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/tunnel-warden-${stage}-${functionName}`,
    logStreamName: '2026/03/02/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
