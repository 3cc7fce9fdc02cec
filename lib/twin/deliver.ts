import type { PackagedRule } from '../eventbridge/template.js';
import { invokeLocal } from '../runtime/local-lambda.js';

export interface Delivery {
  readonly at: string;
  readonly function: string;
  readonly eventId: string;
  readonly detailType: string;
  readonly outcome: 'handled' | 'ignored' | 'failed';
  readonly attempts: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** Invokes the function a rule targets with the event, as Lambda's asynchronous invocation would. */
export async function deliver(
  root: string,
  rule: PackagedRule,
  event: Record<string, unknown>,
  at: Date,
): Promise<Delivery> {
  const base = {
    at: at.toISOString(),
    function: rule.functionKey,
    eventId: String(event.id ?? ''),
    detailType: String(event['detail-type'] ?? ''),
  };
  // Lambda retries a failed asynchronous invocation as the function's EventInvokeConfig says, then
  // hands the event to the dead-letter queue.
  const attempts = rule.retryAttempts + 1;
  let error = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const result = (await invokeLocal(root, rule.functionKey, event)) as { status?: string };
      return {
        ...base,
        outcome: result.status === 'ignored' ? 'ignored' : 'handled',
        attempts: attempt,
        result,
      };
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
  }
  return { ...base, outcome: 'failed', attempts, error };
}

/** One synchronous invocation, as `serverless invoke` makes it: no retry. */
export async function invokeOnce(
  root: string,
  functionKey: string,
  payload: Record<string, unknown>,
  at: Date,
): Promise<Delivery> {
  const base = {
    at: at.toISOString(),
    function: functionKey,
    eventId: '',
    detailType: 'Invocation',
    attempts: 1,
  };
  try {
    const result = (await invokeLocal(root, functionKey, payload)) as { status?: string };
    return { ...base, outcome: result.status === 'ignored' ? 'ignored' : 'handled', result };
  } catch (cause) {
    return { ...base, outcome: 'failed', error: cause instanceof Error ? cause.message : String(cause) };
  }
}
