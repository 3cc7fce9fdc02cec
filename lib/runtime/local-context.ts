import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Context } from 'aws-lambda';

/** The framework's default (provider.timeout in serverless.yml), for a function whose own is not known. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface LocalContextOptions {
  readonly requestId?: string;
  readonly stage?: string;
  /** The function's configured timeout, as packaged (its `Timeout` × 1000). */
  readonly timeoutMs?: number;
  readonly memoryMb?: number;
  /** A monotonic clock in milliseconds; real elapsed time by default, as Lambda counts it. */
  readonly elapsedMs?: () => number;
}

/**
 * A Lambda context as the runtime passes it, for invoking handlers locally (CLI, twin, tests): the
 * invocation's deadline is its timeout from now, and `getRemainingTimeInMillis` counts down to it in
 * real time — middy's timeout and every deadline derived from it see what they would see in Lambda.
 */
export function localContext(functionName: string, options: LocalContextOptions = {}): Context {
  const stage = options.stage ?? 'dev';
  const elapsed = options.elapsedMs ?? (() => performance.now());
  const deadline = elapsed() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const name = `tunnel-warden-${stage}-${functionName}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111122223333:function:${name}`,
    memoryLimitInMB: String(options.memoryMb ?? 256),
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: '2026/03/02/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadline - elapsed())),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** `localContext` with the provider's default timeout: the form most tests use. */
export function lambdaContext(
  functionName: string,
  requestId: string = randomUUID(),
  stage = 'dev',
): Context {
  return localContext(functionName, { requestId, stage });
}
