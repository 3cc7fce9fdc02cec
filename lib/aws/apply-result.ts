import type { RouteAction } from '../domain/actions.js';

export type ActionOutcome = 'changed' | 'already-so' | 'failed' | 'skipped';

export interface ActionResult {
  readonly action: RouteAction;
  readonly outcome: ActionOutcome;
  /** EC2 API names called, in order; the last one is the one that failed when the outcome is 'failed'. */
  readonly calls: readonly string[];
  /** A sentence an operator reads in the timeline. */
  readonly detail: string;
  /** The AWS error code when an EC2 call failed. */
  readonly errorCode?: string;
}

/** What one action's executor decides; apply.ts adds the action, the calls and any AWS error. */
export interface Settled {
  readonly outcome: Exclude<ActionOutcome, 'skipped'>;
  readonly detail: string;
}

/**
 * Records each EC2 call before it is made, so the result lists exactly what was attempted even when
 * the call throws (the failing API is then the last entry).
 */
export class CallLog {
  readonly calls: string[] = [];

  async run<T>(api: string, call: () => Promise<T>): Promise<T> {
    this.calls.push(api);
    return call();
  }
}
