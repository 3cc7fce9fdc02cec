/**
 * A per-site lease so that two invocations (a schedule tick and an alarm, say) never plan and apply
 * against the same routes at once. A lease, not a plain lock: an invocation that crashes or times out
 * never releases, so its lock must become takeable once `leaseUntil` has passed.
 */
import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { epochSeconds, isConditionFailure, StoreError, siteKey } from './table.js';

export interface SiteLock {
  /** True when `owner` now holds the site until `now + ttlMs`; false when someone else holds a live lease. */
  acquire(site: string, owner: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Gives the site up if `owner` still holds it; a lease someone else took over is left alone. */
  release(site: string, owner: string): Promise<void>;
}

const LOCK_SORT_KEY = 'LOCK';

function checkTtl(ttlMs: number): void {
  // A zero or negative lease would be expired on arrival and let every caller in.
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new StoreError(`lock ttlMs must be positive, got ${ttlMs}`);
}

export class DynamoSiteLock implements SiteLock {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  public async acquire(site: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    const leaseUntil = now.getTime() + ttlMs;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: siteKey(site) },
            sk: { S: LOCK_SORT_KEY },
            owner: { S: owner },
            acquiredAt: { S: now.toISOString() },
            leaseUntil: { N: String(leaseUntil) },
            // TTL only tidies up after crashes; the condition below, not TTL, decides who may take over.
            expiresAt: { N: String(epochSeconds(leaseUntil)) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now',
          ExpressionAttributeValues: { ':now': { N: String(now.getTime()) } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new StoreError(`could not acquire the lock of site ${site}`, { cause: error });
    }
  }

  public async release(site: string, owner: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: { S: siteKey(site) }, sk: { S: LOCK_SORT_KEY } },
          // `owner` is a DynamoDB reserved word, hence the placeholder.
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    } catch (error) {
      // Our lease expired and another invocation took it over (or it is gone): theirs is not ours to delete.
      if (isConditionFailure(error)) return;
      throw new StoreError(`could not release the lock of site ${site}`, { cause: error });
    }
  }
}

/** The same lease semantics in memory, for the CLI and for tests that do not need DynamoDB. */
export class InMemorySiteLock implements SiteLock {
  private readonly leases = new Map<string, { owner: string; leaseUntil: number }>();

  public async acquire(site: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    const held = this.leases.get(site);
    if (held !== undefined && !(held.leaseUntil < now.getTime())) return false;
    this.leases.set(site, { owner, leaseUntil: now.getTime() + ttlMs });
    return true;
  }

  public async release(site: string, owner: string): Promise<void> {
    if (this.leases.get(site)?.owner === owner) this.leases.delete(site);
  }
}

/** How long to keep trying for a held lock: a run takes seconds, so waiting beats skipping the signal. */
export interface LockWait {
  readonly timeoutMs: number;
  readonly pollMs: number;
}

export const NO_WAIT: LockWait = { timeoutMs: 0, pollMs: 0 };

async function acquireWithin(
  lock: SiteLock,
  site: string,
  owner: string,
  now: Date,
  ttlMs: number,
  wait: LockWait,
): Promise<boolean> {
  const start = Date.now();
  for (;;) {
    // The lease is stamped with the caller's clock plus the time already spent waiting.
    if (await lock.acquire(site, owner, new Date(now.getTime() + (Date.now() - start)), ttlMs)) return true;
    if (Date.now() - start + wait.pollMs > wait.timeoutMs) return false;
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
  }
}

/**
 * Runs `work` while holding the site's lease and always releases it afterwards. When `work` throws and
 * the release fails too, the work's error wins: it explains the run, and the lease expires on its own.
 */
export async function withSiteLock<T>(
  lock: SiteLock,
  site: string,
  owner: string,
  now: Date,
  ttlMs: number,
  work: () => Promise<T>,
  wait: LockWait = NO_WAIT,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  if (!(await acquireWithin(lock, site, owner, now, ttlMs, wait))) return { acquired: false };
  let workFailed = true;
  try {
    const value = await work();
    workFailed = false;
    return { acquired: true, value };
  } finally {
    // After a failed work a release error is dropped so it cannot replace the error that explains the run;
    // after a successful one it propagates, because the caller should know the site stays held until ttl.
    const released = lock.release(site, owner);
    await (workFailed ? released.catch(() => undefined) : released);
  }
}
