/** The lease of `lib/domain/lease.ts` in memory, and the TTL check both lease stores share. */
import type { ApplyIntent, Lease } from '../domain/lease.js';
import type { SiteLock } from '../usecases/ports.js';
import { StoreError } from './table.js';

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
