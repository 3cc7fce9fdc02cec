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
import type { RouteAction } from '../domain/actions.js';
import { StoreError } from './table.js';

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

export interface SiteLock {
  /** A lease on `site` until `now + ttlMs`, or undefined when someone else holds a live one. */
  acquire(site: string, owner: string, now: Date, ttlMs: number): Promise<Lease | undefined>;
  /**
   * Proves the lease is still held at `now` (same owner and fence, not expired) and extends it to
   * `now + ttlMs`, storing `intent` with it when given. False when the lease was lost.
   */
  renew(lease: Lease, now: Date, ttlMs: number, intent?: ApplyIntent): Promise<boolean>;
  /**
   * Gives the lease up if it is still ours; a lease someone else took over is left alone. The intent
   * is cleared only when `outcomeRecorded`: otherwise the next holder must learn about it.
   */
  release(lease: Lease, outcomeRecorded: boolean): Promise<void>;
}

export function checkTtl(ttlMs: number): void {
  // A zero or negative lease would be expired on arrival and let every caller in.
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new StoreError(`lock ttlMs must be positive, got ${ttlMs}`);
}

/** The same lease semantics in memory, for the CLI and for tests that do not need DynamoDB. */
export class InMemorySiteLock implements SiteLock {
  private readonly leases = new Map<
    string,
    { owner: string | undefined; fence: number; leaseUntil: number; intent?: ApplyIntent }
  >();

  public async acquire(site: string, owner: string, now: Date, ttlMs: number): Promise<Lease | undefined> {
    checkTtl(ttlMs);
    const held = this.leases.get(site);
    if (held !== undefined && !(held.leaseUntil < now.getTime())) return undefined;
    const fence = (held?.fence ?? 0) + 1;
    const intent = held?.intent;
    this.leases.set(site, {
      owner,
      fence,
      leaseUntil: now.getTime() + ttlMs,
      ...(intent === undefined ? {} : { intent }),
    });
    return { site, owner, fence, ...(intent === undefined ? {} : { pendingIntent: intent }) };
  }

  public async renew(lease: Lease, now: Date, ttlMs: number, intent?: ApplyIntent): Promise<boolean> {
    checkTtl(ttlMs);
    const held = this.leases.get(lease.site);
    if (!isHeld(held, lease, now.getTime())) return false;
    this.leases.set(lease.site, {
      ...held,
      leaseUntil: now.getTime() + ttlMs,
      ...(intent === undefined ? {} : { intent }),
    });
    return true;
  }

  public async release(lease: Lease, outcomeRecorded: boolean): Promise<void> {
    const held = this.leases.get(lease.site);
    if (held === undefined || held.owner !== lease.owner || held.fence !== lease.fence) return;
    const { intent, ...rest } = held;
    const kept = outcomeRecorded || intent === undefined ? {} : { intent };
    this.leases.set(lease.site, { ...rest, owner: undefined, leaseUntil: 0, ...kept });
  }
}

function isHeld(
  held: { owner: string | undefined; fence: number; leaseUntil: number } | undefined,
  lease: Lease,
  now: number,
): held is { owner: string; fence: number; leaseUntil: number } {
  return (
    held !== undefined && held.owner === lease.owner && held.fence === lease.fence && held.leaseUntil >= now
  );
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

async function acquireWithin(
  lock: SiteLock,
  site: string,
  owner: string,
  now: Date,
  ttlMs: number,
  wait: LockWait,
): Promise<Lease | undefined> {
  const start = Date.now();
  for (;;) {
    // The lease is stamped with the caller's clock plus the time already spent waiting.
    const lease = await lock.acquire(site, owner, new Date(now.getTime() + (Date.now() - start)), ttlMs);
    if (lease !== undefined) return lease;
    if (Date.now() - start + wait.pollMs > wait.timeoutMs) return undefined;
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
  }
}

/** What the work under a lease returns: its value, and whether its outcome is recorded (the intent may go). */
export interface LeasedResult<T> {
  readonly value: T;
  readonly outcomeRecorded: boolean;
}

/**
 * Runs `work` while holding the site's lease and always releases it afterwards. When `work` throws and
 * the release fails too, the work's error wins: it explains the run, and the lease expires on its own.
 * A failed work keeps its intent for the next holder.
 */
export async function withSiteLock<T>(
  lock: SiteLock,
  site: string,
  owner: string,
  now: Date,
  ttlMs: number,
  work: (lease: Lease) => Promise<LeasedResult<T>>,
  wait: LockWait = NO_WAIT,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const lease = await acquireWithin(lock, site, owner, now, ttlMs, wait);
  if (lease === undefined) return { acquired: false };
  let result: LeasedResult<T>;
  try {
    result = await work(lease);
  } catch (error) {
    // A release error is dropped so it cannot replace the error that explains the run.
    await lock.release(lease, false).catch(() => undefined);
    throw error;
  }
  // After a successful work a release error propagates: the caller should know the site stays held.
  await lock.release(lease, result.outcomeRecorded);
  return { acquired: true, value: result.value };
}
