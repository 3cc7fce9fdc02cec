import type { Lease, LeasedResult, LockWait } from '../domain/lease.js';
import { NO_WAIT } from '../domain/lease.js';
import type { SiteLock } from './ports.js';

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
