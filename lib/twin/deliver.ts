import { InvocationTimeoutError, invokeLocal } from '../runtime/local-lambda.js';
import type { CallerScope } from './iam.js';
import type { PackagedFunction } from './packaged-functions.js';

export interface Delivery {
  readonly at: string;
  readonly function: string;
  readonly eventId: string;
  readonly detailType: string;
  /**
   * `retrying`: this attempt failed and Lambda will try again at `retryAt`; `failed`: the last attempt
   * failed (the event went to the on-failure destination, when the function has one).
   */
  readonly outcome: 'handled' | 'ignored' | 'retrying' | 'failed';
  /** Which attempt this was, from 1. */
  readonly attempts: number;
  readonly result?: unknown;
  readonly error?: string;
  /** Twin time of the next attempt, for `retrying`. */
  readonly retryAt?: string;
}

/** An event Lambda gave up on, as the on-failure destination (the dead-letter queue) receives it. */
export interface DeadLetter {
  readonly at: string;
  readonly function: string;
  readonly eventId: string;
  readonly condition: 'RetriesExhausted';
  readonly attempts: number;
  readonly errorType: string;
  readonly error: string;
  readonly event: Record<string, unknown>;
}

/**
 * Lambda's waits before retrying a failed asynchronous invocation: about one minute before the first
 * retry and two before the second (AWS Lambda Developer Guide, "Asynchronous invocation").
 */
export const ASYNC_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];

/** The wait before attempt `attempt + 1` after attempt `attempt` failed. */
export function retryDelayMs(attempt: number): number {
  return ASYNC_RETRY_DELAYS_MS[Math.min(attempt, ASYNC_RETRY_DELAYS_MS.length) - 1] ?? 60_000;
}

export type AttemptResult =
  | { readonly ok: true; readonly ignored: boolean; readonly result: unknown }
  | { readonly ok: false; readonly errorType: string; readonly error: string };

/**
 * One invocation of `fn` with its packaged timeout, its AWS calls attributed to it (and checked against
 * its role) through `callers`: what it returned, or how it failed.
 */
export async function invokeAttempt(
  root: string,
  fn: PackagedFunction,
  payload: Record<string, unknown>,
  callers?: CallerScope,
): Promise<AttemptResult> {
  const run = () => invokeLocal(root, fn.key, payload, { timeoutMs: fn.timeoutMs, memoryMb: fn.memoryMb });
  const caller = { function: fn.key, ...(fn.actions === undefined ? {} : { actions: fn.actions }) };
  try {
    const result = (await (callers === undefined ? run() : callers.run(caller, run))) as
      | { status?: string }
      | undefined;
    return { ok: true, ignored: result?.status === 'ignored', result };
  } catch (cause) {
    const errorType =
      cause instanceof InvocationTimeoutError
        ? cause.errorType
        : cause instanceof Error
          ? cause.name
          : 'Error';
    return { ok: false, errorType, error: cause instanceof Error ? cause.message : String(cause) };
  }
}

/** One synchronous invocation, as `serverless invoke` makes it: no retry. */
export async function invokeOnce(
  root: string,
  fn: PackagedFunction,
  payload: Record<string, unknown>,
  at: Date,
  callers?: CallerScope,
): Promise<Delivery> {
  const base = {
    at: at.toISOString(),
    function: fn.key,
    eventId: '',
    detailType: 'Invocation',
    attempts: 1,
  };
  const outcome = await invokeAttempt(root, fn, payload, callers);
  if (!outcome.ok) return { ...base, outcome: 'failed', error: outcome.error };
  return { ...base, outcome: outcome.ignored ? 'ignored' : 'handled', result: outcome.result };
}
