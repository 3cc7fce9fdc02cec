/** What applying one action did: shared by the apply adapter, the use cases and the record. */
import type { RouteAction } from './actions.js';
import { RunAbandonedError } from './run.js';

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

/** Applying stopped part-way: `results` has every action, those not applied marked 'skipped'. */
export class ApplyAbandonedError extends RunAbandonedError {
  public constructor(
    public readonly results: readonly ActionResult[],
    cause: RunAbandonedError,
  ) {
    super(cause.site, cause.step, cause.reason, { cause });
  }
}
