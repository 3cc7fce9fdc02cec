import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { TunnelWardenError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS, localContext } from './local-context.js';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The invocation ran past its function's timeout. Lambda stops it and reports the error type
 * `Sandbox.Timedout` with this message; an asynchronous invocation is then retried like any failure.
 */
export class InvocationTimeoutError extends TunnelWardenError {
  public readonly errorType = 'Sandbox.Timedout';

  public constructor(
    public readonly functionKey: string,
    public readonly timeoutMs: number,
  ) {
    super(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }
}

export interface LocalInvokeOptions {
  /** The function's packaged timeout; default the provider's 60 s. */
  readonly timeoutMs?: number;
  readonly memoryMb?: number;
  readonly requestId?: string;
}

const loaded = new Map<string, LambdaHandler>();

async function handlerOf(root: string, functionKey: string): Promise<LambdaHandler> {
  const key = `${root}\0${functionKey}`;
  let handler = loaded.get(key);
  if (handler === undefined) {
    const module = (await import(pathToFileURL(join(root, 'functions', `${functionKey}.ts`)).href)) as {
      handler: LambdaHandler;
    };
    handler = module.handler;
    loaded.set(key, handler);
  }
  return handler;
}

/**
 * Loads `functions/<key>.ts` — the very module Lambda runs — and invokes its handler locally with a
 * context whose remaining time counts down from the function's timeout. At the timeout the invocation
 * fails with InvocationTimeoutError, as Lambda's does. (Lambda then freezes the environment; here the
 * handler's promise cannot be stopped from outside, which is why runs must bound themselves.)
 */
export async function invokeLocal(
  root: string,
  functionKey: string,
  event: unknown,
  options: LocalInvokeOptions = {},
): Promise<unknown> {
  const handler = await handlerOf(root, functionKey);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const context = localContext(functionKey, {
    timeoutMs,
    ...(options.memoryMb === undefined ? {} : { memoryMb: options.memoryMb }),
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InvocationTimeoutError(functionKey, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([handler(structuredClone(event), context), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
