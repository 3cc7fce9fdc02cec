import { type AttributeValue, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { RouteAction } from '../domain/actions.js';
import type { ApplyIntent, Lease } from '../domain/lease.js';
import type { SiteLock } from '../usecases/ports.js';
import { checkTtl } from './site-lock.js';
import { epochSeconds, isConditionFailure, StoreError, siteKey } from './table.js';

const LOCK_SORT_KEY = 'LOCK';

/**
 * DynamoDB TTL tidies lease items up long after the lease: an intent left by a crashed run must
 * survive until the next run (the next sweep at the latest) reads it.
 */
const ITEM_RETENTION_MS = 7 * 86_400_000;

const NAMES = { '#owner': 'owner' }; // `owner` is a DynamoDB reserved word.

/**
 * The intent as stored by `renew`. Its actions were written by this code from a Plan, so their inner
 * shape is trusted; the envelope is checked so that a damaged item is a clear error, not a guess.
 */
const StoredIntent = z.object({
  owner: z.string(),
  fence: z.number().int().positive(),
  eventId: z.string(),
  plannedAt: z.string(),
  decision: z.string(),
  actions: z.array(z.looseObject({ type: z.string() })),
});

function intentOf(item: Record<string, AttributeValue> | undefined): ApplyIntent | undefined {
  const text = item?.intent?.S;
  if (text === undefined) return undefined;
  const where = `the lease item of ${item?.pk?.S ?? 'a site'}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new StoreError(`${where} holds an intent that is not JSON`, { cause });
  }
  const parsed = StoredIntent.safeParse(json);
  if (!parsed.success) throw new StoreError(`${where} holds a malformed intent: ${parsed.error.message}`);
  return { ...parsed.data, actions: parsed.data.actions as unknown as readonly RouteAction[] };
}

export class DynamoSiteLock implements SiteLock {
  public constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  public async acquire(site: string, owner: string, now: Date, ttlMs: number): Promise<Lease | undefined> {
    checkTtl(ttlMs);
    const leaseUntil = now.getTime() + ttlMs;
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: this.key(site),
          // ADD keeps the fence counting up across holders: it is never reset while the item lives.
          UpdateExpression:
            'SET #owner = :owner, acquiredAt = :at, leaseUntil = :until, expiresAt = :expires ADD fence :one',
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':owner': { S: owner },
            ':at': { S: now.toISOString() },
            ':until': { N: String(leaseUntil) },
            ':expires': { N: String(epochSeconds(leaseUntil + ITEM_RETENTION_MS)) },
            ':now': { N: String(now.getTime()) },
            ':one': { N: '1' },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const fence = Number(Attributes?.fence?.N ?? Number.NaN);
      if (!Number.isSafeInteger(fence)) throw new StoreError(`the lease of site ${site} has no fence`);
      const pendingIntent = intentOf(Attributes);
      return { site, owner, fence, ...(pendingIntent === undefined ? {} : { pendingIntent }) };
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      if (error instanceof StoreError) throw error;
      throw new StoreError(`could not acquire the lock of site ${site}`, { cause: error });
    }
  }

  public async renew(lease: Lease, now: Date, ttlMs: number, intent?: ApplyIntent): Promise<boolean> {
    checkTtl(ttlMs);
    const leaseUntil = now.getTime() + ttlMs;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: this.key(lease.site),
          UpdateExpression: `SET leaseUntil = :until, expiresAt = :expires${intent === undefined ? '' : ', intent = :intent'}`,
          ConditionExpression: '#owner = :owner AND fence = :fence AND leaseUntil >= :now',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':owner': { S: lease.owner },
            ':fence': { N: String(lease.fence) },
            ':now': { N: String(now.getTime()) },
            ':until': { N: String(leaseUntil) },
            ':expires': { N: String(epochSeconds(leaseUntil + ITEM_RETENTION_MS)) },
            ...(intent === undefined ? {} : { ':intent': { S: JSON.stringify(intent) } }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new StoreError(`could not renew the lease of site ${lease.site}`, { cause: error });
    }
  }

  public async release(lease: Lease, outcomeRecorded: boolean): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: this.key(lease.site),
          // The item stays (and with it the fence); only the holder and, once recorded, the intent go.
          UpdateExpression: `SET leaseUntil = :zero REMOVE #owner${outcomeRecorded ? ', intent' : ''}`,
          ConditionExpression: '#owner = :owner AND fence = :fence',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':owner': { S: lease.owner },
            ':fence': { N: String(lease.fence) },
            ':zero': { N: '0' },
          },
        }),
      );
    } catch (error) {
      // Our lease expired and another invocation took it over (or it is gone): theirs is not ours to touch.
      if (isConditionFailure(error)) return;
      throw new StoreError(`could not release the lock of site ${lease.site}`, { cause: error });
    }
  }

  private key(site: string): Record<string, AttributeValue> {
    return { pk: { S: siteKey(site) }, sk: { S: LOCK_SORT_KEY } };
  }
}
