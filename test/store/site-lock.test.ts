import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../lib/aws/clients.js';
import type { ApplyIntent } from '../../lib/domain/lease.js';
import { InMemorySiteLock } from '../../lib/store/site-lock.js';
import { DynamoSiteLock } from '../../lib/store/site-lock-dynamo.js';
import { StoreError, tableName } from '../../lib/store/table.js';
import type { SiteLock } from '../../lib/usecases/ports.js';
import { withSiteLock } from '../../lib/usecases/with-lease.js';
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

const intent = (owner: string, fence: number): ApplyIntent => ({
  owner,
  fence,
  eventId: 'evt-1',
  plannedAt: T0.toISOString(),
  decision: 'failover',
  actions: [
    {
      type: 'tgw-route',
      routeTableId: 'tgw-rtb-1',
      destination: '10.1.0.0/16',
      attachmentId: 'tgw-attach-2',
    },
  ],
});

describe.each(implementations)('%s', (kind, make) => {
  const site = (name: string) => `${kind}-${name}`;
  const held = async (lock: SiteLock, name: string, owner: string, at: Date) => {
    const lease = await lock.acquire(site(name), owner, at, TTL);
    if (lease === undefined) throw new Error(`expected ${owner} to get ${name}`);
    return lease;
  };

  it('acquires, refuses a second holder, releases, acquires again', async () => {
    const lock = make();
    const first = await held(lock, 'a', 'run-1', T0);
    expect(await lock.acquire(site('a'), 'run-2', later(1_000), TTL)).toBeUndefined();
    // The holder itself cannot re-enter either: a lease is not re-entrant.
    expect(await lock.acquire(site('a'), 'run-1', later(1_000), TTL)).toBeUndefined();
    await lock.release(first, true);
    expect(await lock.acquire(site('a'), 'run-2', later(2_000), TTL)).toBeDefined();
  });

  it('keeps sites independent', async () => {
    const lock = make();
    expect(await lock.acquire(site('b1'), 'run-1', T0, TTL)).toBeDefined();
    expect(await lock.acquire(site('b2'), 'run-2', T0, TTL)).toBeDefined();
  });

  it('takes over a lease that expired (its holder crashed), with a higher fence', async () => {
    const lock = make();
    const crashed = await held(lock, 'c', 'crashed', T0);
    expect(await lock.acquire(site('c'), 'run-2', later(TTL), TTL)).toBeUndefined(); // not yet: leaseUntil < now
    const next = await held(lock, 'c', 'run-2', later(TTL + 1));
    expect(next.fence).toBeGreaterThan(crashed.fence);
    // The crashed one waking up can neither renew nor release the new holder's lease.
    expect(await lock.renew(crashed, later(TTL + 2), TTL)).toBe(false);
    await lock.release(crashed, true);
    expect(await lock.acquire(site('c'), 'run-3', later(TTL + 2), TTL)).toBeUndefined();
    expect(await lock.renew(next, later(TTL + 3), TTL)).toBe(true);
  });

  it('fences a holder by token, not by owner: the same request id retried is a new holder', async () => {
    const lock = make();
    const first = await held(lock, 'fence', 'req-1', T0);
    const retried = await held(lock, 'fence', 'req-1', later(TTL + 1));
    expect(await lock.renew(first, later(TTL + 2), TTL)).toBe(false);
    await lock.release(first, true);
    expect(await lock.renew(retried, later(TTL + 3), TTL)).toBe(true);
  });

  it('renews only a live lease and extends it', async () => {
    const lock = make();
    const lease = await held(lock, 'renew', 'run-1', T0);
    expect(await lock.renew(lease, later(TTL - 1), TTL)).toBe(true);
    // Extended: another run cannot take it where the first lease would have expired.
    expect(await lock.acquire(site('renew'), 'run-2', later(TTL + 1), TTL)).toBeUndefined();
    // Past the extended lease, the holder has lost it even if nobody took it yet.
    expect(await lock.renew(lease, later(2 * TTL), TTL)).toBe(false);
  });

  it('hands an unrecorded intent to the next holder, and drops it once recorded', async () => {
    const lock = make();
    const first = await held(lock, 'intent', 'run-1', T0);
    expect(first.pendingIntent).toBeUndefined();
    expect(await lock.renew(first, later(1), TTL, intent('run-1', first.fence))).toBe(true);
    await lock.release(first, false);
    const second = await held(lock, 'intent', 'run-2', later(2));
    expect(second.pendingIntent).toEqual(intent('run-1', first.fence));
    await lock.release(second, true);
    expect((await held(lock, 'intent', 'run-3', later(3))).pendingIntent).toBeUndefined();
  });

  it('keeps the intent of a holder that died without releasing', async () => {
    const lock = make();
    const dead = await held(lock, 'died', 'run-1', T0);
    await lock.renew(dead, later(1), TTL, intent('run-1', dead.fence));
    const next = await held(lock, 'died', 'run-2', later(TTL + 2));
    expect(next.pendingIntent).toEqual(intent('run-1', dead.fence));
  });

  it('ignores a release by a non-owner', async () => {
    const lock = make();
    const lease = await held(lock, 'd', 'run-1', T0);
    await lock.release({ ...lease, owner: 'run-2' }, true);
    expect(await lock.acquire(site('d'), 'run-2', later(1), TTL)).toBeUndefined();
  });

  it('lets exactly one of 10 concurrent callers in', async () => {
    const lock = make();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => lock.acquire(site('e'), `run-${i}`, T0, TTL)),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
  });

  it('refuses a non-positive ttl', async () => {
    await expect(make().acquire(site('f'), 'run-1', T0, 0)).rejects.toBeInstanceOf(StoreError);
  });

  it('withSiteLock returns the value and releases', async () => {
    const lock = make();
    const result = await withSiteLock(lock, site('g'), 'run-1', T0, TTL, async () => ({
      value: 42,
      outcomeRecorded: true,
    }));
    expect(result).toEqual({ acquired: true, value: 42 });
    expect(await lock.acquire(site('g'), 'run-2', later(1), TTL)).toBeDefined();
  });

  it('withSiteLock releases when the work throws, keeps its intent, and rethrows the work error', async () => {
    const lock = make();
    const boom = new Error('apply failed');
    await expect(
      withSiteLock(lock, site('h'), 'run-1', T0, TTL, async (lease) => {
        await lock.renew(lease, T0, TTL, intent('run-1', lease.fence));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect((await held(lock, 'h', 'run-2', later(1))).pendingIntent?.owner).toBe('run-1');
  });

  it('withSiteLock does not run the work when the site is held', async () => {
    const lock = make();
    await lock.acquire(site('i'), 'other', T0, TTL);
    let ran = false;
    const result = await withSiteLock(lock, site('i'), 'run-1', later(1), TTL, async () => {
      ran = true;
      return { value: undefined, outcomeRecorded: true };
    });
    expect(result).toEqual({ acquired: false });
    expect(ran).toBe(false);
  });
});

describe('DynamoSiteLock item', () => {
  it('stores owner, acquiredAt, leaseUntil, the fence and a TTL well past the lease', async () => {
    await new DynamoSiteLock(local.client, local.table).acquire('item', 'run-1', T0, TTL);
    expect(await lockItem('item')).toEqual({
      pk: { S: 'SITE#item' },
      sk: { S: 'LOCK' },
      owner: { S: 'run-1' },
      acquiredAt: { S: T0.toISOString() },
      leaseUntil: { N: String(T0.getTime() + TTL) },
      fence: { N: '1' },
      expiresAt: { N: String((T0.getTime() + TTL + 7 * 86_400_000) / 1000) },
    });
  });

  it('refuses a damaged intent with a StoreError naming the item, rather than guessing', async () => {
    for (const [site, intent] of [
      ['damaged-json', '{not json'],
      ['damaged-shape', JSON.stringify({ owner: 'x', actions: 'all of them' })],
    ] as const) {
      await local.client.send(
        new PutItemCommand({
          TableName: local.table,
          Item: {
            pk: { S: `SITE#${site}` },
            sk: { S: 'LOCK' },
            leaseUntil: { N: '0' },
            fence: { N: '3' },
            intent: { S: intent },
          },
        }),
      );
      const error = await new DynamoSiteLock(local.client, local.table)
        .acquire(site, 'run-1', T0, TTL)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).toContain(`SITE#${site}`);
    }
  });

  it('wraps other errors in StoreError with the cause', async () => {
    const lock = new DynamoSiteLock(local.client, 'no-such-table');
    const error = await lock.acquire('x', 'run-1', T0, TTL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(lock.release({ site: 'x', owner: 'run-1', fence: 1 }, true)).rejects.toBeInstanceOf(
      StoreError,
    );
  });
});

describe('withSiteLock release failures', () => {
  it('surfaces a release failure after successful work, but never hides the work error', async () => {
    const failing: SiteLock = {
      acquire: async (site, owner) => ({ site, owner, fence: 1 }),
      renew: async () => true,
      release: async () => {
        throw new StoreError('release failed');
      },
    };
    const work = async () => ({ value: 1, outcomeRecorded: true });
    await expect(withSiteLock(failing, 's', 'o', T0, TTL, work)).rejects.toThrow('release failed');
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
