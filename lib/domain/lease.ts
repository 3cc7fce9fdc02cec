/**
 * A per-site lease so that two invocations (a schedule tick and an alarm, say) never plan and apply
 * against the same routes at once. A lease, not a plain lock: an invocation that crashes or times out
 * never releases, so its lock must become takeable once `leaseUntil` has passed.
 *
 * Each acquisition gets a **fencing token** (`fence`, one more than the last holder's), and every
 * mutating step first proves the lease is still held with that token (`renew`), so a run whose lease
 * expired and was taken over stops instead of writing over the new holder's work.
 *
 * The lease item also carries the holder's **write-ahead intent**: the actions it is about to apply,
 * written before the first one. A run that dies between applying and recording leaves the intent
 * behind; the next holder gets it back from `acquire` and records what happened.
 */
import type { RouteAction } from './actions.js';

export interface ApplyIntent {
  /** The run (Lambda request id) that meant to apply. */
  readonly owner: string;
  readonly fence: number;
  /** The event the run was handling, and when it planned. */
  readonly eventId: string;
  readonly plannedAt: string;
  /** The plan's decision, e.g. `failover`. */
  readonly decision: string;
  readonly actions: readonly RouteAction[];
}

export interface Lease {
  readonly site: string;
  readonly owner: string;
  /** Strictly greater than every earlier holder's. */
  readonly fence: number;
  /** What an earlier holder meant to apply and never recorded as done. */
  readonly pendingIntent?: ApplyIntent;
}

/** How long to keep trying for a held lock: a run takes seconds, so waiting beats skipping the signal. */
export interface LockWait {
  readonly timeoutMs: number;
  readonly pollMs: number;
}

export const NO_WAIT: LockWait = { timeoutMs: 0, pollMs: 0 };

/** The default wait for a site another run holds: 10 s, polling every 250 ms. */
export const DEFAULT_LOCK_WAIT: LockWait = { timeoutMs: 10_000, pollMs: 250 };

/**
 * How long a lease outlives its holder's deadline: a live run never loses its site to a clock skew of
 * a few seconds, and a dead one frees it soon after its invocation would have ended.
 */
export const LEASE_MARGIN_MS = 10_000;

/** What the work under a lease returns: its value, and whether its outcome is recorded (the intent may go). */
export interface LeasedResult<T> {
  readonly value: T;
  readonly outcomeRecorded: boolean;
}
