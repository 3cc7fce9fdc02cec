import type { ActionOutcome } from '../domain/apply-result.js';

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
