import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSiteLock, InMemorySiteLock, type SiteLock, withSiteLock } from '../../lib/store/site-lock.js';
import { dynamoClient, StoreError, tableName } from '../../lib/store/table.js';
import { type LocalTable, startDynalite } from './dynalite.js';

const T0 = new Date('2025-03-01T12:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const TTL = 60_000;

let local: LocalTable;
beforeAll(async () => {
  local = await startDynalite('site-lock');
});
afterAll(async () => {
  await local?.close();
});

async function lockItem(site: string) {
  const { Item } = await local.client.send(
    new GetItemCommand({ TableName: local.table, Key: { pk: { S: `SITE#${site}` }, sk: { S: 'LOCK' } } }),
  );
  return Item;
}

// The same contract holds for both implementations; the DynamoDB one is checked against dynalite.
const implementations: [string, () => SiteLock][] = [
  ['DynamoSiteLock', () => new DynamoSiteLock(local.client, local.table)],
  ['InMemorySiteLock', () => new InMemorySiteLock()],
];

describe.each(implementations)('%s', (kind, make) => {
  const site = (name: string) => `${kind}-${name}`;

  it('acquires, refuses a second holder, releases, acquires again', async () => {
    const lock = make();
    expect(await lock.acquire(site('a'), 'run-1', T0, TTL)).toBe(true);
    expect(await lock.acquire(site('a'), 'run-2', later(1_000), TTL)).toBe(false);
    // The holder itself cannot re-enter either: a lease is not re-entrant.
    expect(await lock.acquire(site('a'), 'run-1', later(1_000), TTL)).toBe(false);
    await lock.release(site('a'), 'run-1');
    expect(await lock.acquire(site('a'), 'run-2', later(2_000), TTL)).toBe(true);
  });

  it('keeps sites independent', async () => {
    const lock = make();
    expect(await lock.acquire(site('b1'), 'run-1', T0, TTL)).toBe(true);
    expect(await lock.acquire(site('b2'), 'run-2', T0, TTL)).toBe(true);
  });

  it('takes over a lease that expired (its holder crashed)', async () => {
    const lock = make();
    expect(await lock.acquire(site('c'), 'crashed', T0, TTL)).toBe(true);
    expect(await lock.acquire(site('c'), 'run-2', later(TTL), TTL)).toBe(false); // not yet: leaseUntil < now
    expect(await lock.acquire(site('c'), 'run-2', later(TTL + 1), TTL)).toBe(true);
    // The crashed one waking up must not delete the new holder's lease.
    await lock.release(site('c'), 'crashed');
    expect(await lock.acquire(site('c'), 'run-3', later(TTL + 2), TTL)).toBe(false);
  });

  it('ignores a release by a non-owner and a release of nothing', async () => {
    const lock = make();
    await lock.release(site('d'), 'nobody');
    expect(await lock.acquire(site('d'), 'run-1', T0, TTL)).toBe(true);
    await lock.release(site('d'), 'run-2');
    expect(await lock.acquire(site('d'), 'run-2', later(1), TTL)).toBe(false);
  });

  it('lets exactly one of 10 concurrent callers in', async () => {
    const lock = make();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => lock.acquire(site('e'), `run-${i}`, T0, TTL)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('refuses a non-positive ttl', async () => {
    await expect(make().acquire(site('f'), 'run-1', T0, 0)).rejects.toBeInstanceOf(StoreError);
  });

  it('withSiteLock returns the value and releases', async () => {
    const lock = make();
    const result = await withSiteLock(lock, site('g'), 'run-1', T0, TTL, async () => 42);
    expect(result).toEqual({ acquired: true, value: 42 });
    expect(await lock.acquire(site('g'), 'run-2', later(1), TTL)).toBe(true);
  });

  it('withSiteLock releases when the work throws and rethrows the work error', async () => {
    const lock = make();
    const boom = new Error('apply failed');
    await expect(
      withSiteLock(lock, site('h'), 'run-1', T0, TTL, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await lock.acquire(site('h'), 'run-2', later(1), TTL)).toBe(true);
  });

  it('withSiteLock does not run the work when the site is held', async () => {
    const lock = make();
    await lock.acquire(site('i'), 'other', T0, TTL);
    let ran = false;
    const result = await withSiteLock(lock, site('i'), 'run-1', later(1), TTL, async () => {
      ran = true;
    });
    expect(result).toEqual({ acquired: false });
    expect(ran).toBe(false);
  });
});

describe('DynamoSiteLock item', () => {
  it('stores owner, acquiredAt, leaseUntil and the TTL attribute', async () => {
    await new DynamoSiteLock(local.client, local.table).acquire('item', 'run-1', T0, TTL);
    expect(await lockItem('item')).toEqual({
      pk: { S: 'SITE#item' },
      sk: { S: 'LOCK' },
      owner: { S: 'run-1' },
      acquiredAt: { S: T0.toISOString() },
      leaseUntil: { N: String(T0.getTime() + TTL) },
      expiresAt: { N: String((T0.getTime() + TTL) / 1000) },
    });
  });

  it('wraps other errors in StoreError with the cause', async () => {
    const lock = new DynamoSiteLock(local.client, 'no-such-table');
    const error = await lock.acquire('x', 'run-1', T0, TTL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(lock.release('x', 'run-1')).rejects.toBeInstanceOf(StoreError);
  });
});

describe('withSiteLock release failures', () => {
  it('surfaces a release failure after successful work, but never hides the work error', async () => {
    const failing: SiteLock = {
      acquire: async () => true,
      release: async () => {
        throw new StoreError('release failed');
      },
    };
    await expect(withSiteLock(failing, 's', 'o', T0, TTL, async () => 1)).rejects.toThrow('release failed');
    const boom = new Error('work failed');
    await expect(
      withSiteLock(failing, 's', 'o', T0, TTL, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});

// table.ts has no test file of its own; the lock is its first user.
describe('table', () => {
  it('names TUNNEL_WARDEN_TABLE when it is missing or blank', () => {
    expect(tableName({ TUNNEL_WARDEN_TABLE: ' tw-prod ' })).toBe('tw-prod');
    for (const env of [{}, { TUNNEL_WARDEN_TABLE: '  ' }]) {
      expect(() => tableName(env)).toThrow(StoreError);
      expect(() => tableName(env)).toThrow(/TUNNEL_WARDEN_TABLE is not set/);
    }
  });

  it('dynamoClient prefers the option, then AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL', async () => {
    const host = async (env: Record<string, string>, endpoint?: string) => {
      const client = dynamoClient(
        { region: 'us-east-1', ...(endpoint === undefined ? {} : { endpoint }) },
        env,
      );
      const resolved = await client.config.endpoint?.();
      expect(await client.config.maxAttempts()).toBe(8);
      return resolved?.port;
    };
    const env = {
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4001',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4000',
    };
    expect(await host(env, 'http://127.0.0.1:4002')).toBe(4002);
    expect(await host(env)).toBe(4001);
    expect(await host({ AWS_ENDPOINT_URL_DYNAMODB: '', AWS_ENDPOINT_URL: 'http://127.0.0.1:4000' })).toBe(
      4000,
    );
  });
});
