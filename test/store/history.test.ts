import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TunnelTransition } from '../../lib/policy/plan.js';
import { DynamoHistoryStore, InMemoryHistoryStore, MAX_TRANSITIONS } from '../../lib/store/history.js';
import { StoreError } from '../../lib/store/table.js';
import type { HistoryStore } from '../../lib/usecases/ports.js';
import { type LocalTable, startDynalite } from './dynalite.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const tr = (at: string, tunnelIp = '203.0.113.10', vpnId = 'vpn-0123456789abcdef0'): TunnelTransition => ({
  vpnId,
  tunnelIp,
  at,
});

let local: LocalTable;
beforeAll(async () => {
  local = await startDynalite('history');
});
afterAll(async () => {
  await local?.close();
});

const implementations: [string, () => HistoryStore][] = [
  ['DynamoHistoryStore', () => new DynamoHistoryStore(local.client, local.table)],
  ['InMemoryHistoryStore', () => new InMemoryHistoryStore()],
];

describe.each(implementations)('%s', (kind, make) => {
  const site = (name: string) => `${kind}-${name}`;

  it('starts empty and returns what it was given, oldest first', async () => {
    const store = make();
    expect(await store.recordAndLoad(site('a'), [], NOW, HOUR)).toEqual({ transitions: [] });
    const history = await store.recordAndLoad(site('a'), [tr(ago(1_000)), tr(ago(5_000))], NOW, HOUR);
    expect(history.transitions).toEqual([tr(ago(5_000)), tr(ago(1_000))]);
  });

  it('merges across calls and de-duplicates by vpn, tunnel and instant', async () => {
    const store = make();
    await store.recordAndLoad(site('b'), [tr(ago(3_000)), tr(ago(3_000), '203.0.113.20')], NOW, HOUR);
    const sameInstant = ago(3_000).replace('.000Z', 'Z');
    const history = await store.recordAndLoad(
      site('b'),
      [tr(ago(3_000)), tr(sameInstant), tr(ago(2_000)), tr(ago(2_000))],
      NOW,
      HOUR,
    );
    expect(history.transitions).toEqual([tr(ago(3_000)), tr(ago(3_000), '203.0.113.20'), tr(ago(2_000))]);
  });

  it('drops transitions older than the window, kept and new alike', async () => {
    const store = make();
    await store.recordAndLoad(site('c'), [tr(ago(50 * 60_000)), tr(ago(10 * 60_000))], NOW, HOUR);
    const later = new Date(NOW.getTime() + 20 * 60_000);
    const history = await store.recordAndLoad(site('c'), [tr(ago(2 * HOUR)), tr(ago(0))], later, HOUR);
    expect(history.transitions).toEqual([tr(ago(10 * 60_000)), tr(ago(0))]);
  });

  it(`keeps only the ${MAX_TRANSITIONS} newest`, async () => {
    const store = make();
    const many = Array.from({ length: MAX_TRANSITIONS + 50 }, (_, i) => tr(ago(i * 1_000)));
    const history = await store.recordAndLoad(site('d'), many, NOW, HOUR);
    expect(history.transitions).toHaveLength(MAX_TRANSITIONS);
    expect(history.transitions[0]).toEqual(tr(ago((MAX_TRANSITIONS - 1) * 1_000)));
    expect(history.transitions.at(-1)).toEqual(tr(ago(0)));
    const again = await store.recordAndLoad(site('d'), [tr(ago(HOUR - 1))], NOW, HOUR);
    expect(again.transitions).toEqual(history.transitions); // older than the 500 kept: capped away again
  });

  it('refuses a transition without a valid time', async () => {
    await expect(make().recordAndLoad(site('e'), [tr('yesterday')], NOW, HOUR)).rejects.toBeInstanceOf(
      StoreError,
    );
  });

  it('loses nothing when 5 callers record at once', async () => {
    const store = make();
    const batches = Array.from({ length: 5 }, (_, caller) =>
      Array.from({ length: 3 }, (_, j) => tr(ago((caller * 3 + j + 1) * 1_000), `198.51.100.${caller}`)),
    );
    await Promise.all(batches.map((batch) => store.recordAndLoad(site('f'), batch, NOW, HOUR)));
    const final = await store.recordAndLoad(site('f'), [], NOW, HOUR);
    expect(final.transitions).toHaveLength(15);
    expect(final.transitions).toEqual(expect.arrayContaining(batches.flat()));
    const times = final.transitions.map((t) => Date.parse(t.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('DynamoHistoryStore item', () => {
  const key = (site: string) => ({ pk: { S: `SITE#${site}` }, sk: { S: 'HISTORY' } });

  it('stores a list of maps with a version that grows on every write', async () => {
    const store = new DynamoHistoryStore(local.client, local.table);
    await store.recordAndLoad('item', [tr(ago(1_000))], NOW, HOUR);
    await store.recordAndLoad('item', [tr(ago(500))], NOW, HOUR);
    await store.recordAndLoad('item', [tr(ago(500))], NOW, HOUR); // nothing new: no write
    const { Item } = await local.client.send(
      new GetItemCommand({ TableName: local.table, Key: key('item') }),
    );
    expect(Item).toMatchObject({
      version: { N: '2' },
      expiresAt: { N: String((NOW.getTime() + HOUR) / 1000) },
      transitions: {
        L: [
          {
            M: {
              vpnId: { S: 'vpn-0123456789abcdef0' },
              tunnelIp: { S: '203.0.113.10' },
              at: { S: ago(1_000) },
            },
          },
          {
            M: {
              vpnId: { S: 'vpn-0123456789abcdef0' },
              tunnelIp: { S: '203.0.113.10' },
              at: { S: ago(500) },
            },
          },
        ],
      },
    });
  });

  it('refuses a malformed item instead of silently forgetting history', async () => {
    await local.client.send(
      new PutItemCommand({
        TableName: local.table,
        Item: {
          ...key('broken'),
          version: { N: '1' },
          transitions: { L: [{ M: { vpnId: { S: 'vpn-1' } } }] },
        },
      }),
    );
    const store = new DynamoHistoryStore(local.client, local.table);
    await expect(store.recordAndLoad('broken', [], NOW, HOUR)).rejects.toThrow(
      /transitions\[0\] is malformed/,
    );
  });

  /** A client that lets `interfere` write right after each of our reads: a race we lose every time. */
  function racingClient(interfere: (round: number) => Promise<unknown>, rounds: number) {
    let round = 0;
    const send = async (command: Parameters<DynamoDBClient['send']>[0]) => {
      const output = await local.client.send(command);
      if (command instanceof GetItemCommand && round < rounds) await interfere(round++);
      return output;
    };
    return { client: { send } as unknown as DynamoDBClient, reads: () => round };
  }

  it('re-reads and merges on top of a write that won the race', async () => {
    const other = new DynamoHistoryStore(local.client, local.table);
    const racing = racingClient((i) => other.recordAndLoad('race', [tr(ago(10_000 + i))], NOW, HOUR), 2);
    const history = await new DynamoHistoryStore(racing.client, local.table).recordAndLoad(
      'race',
      [tr(ago(1_000))],
      NOW,
      HOUR,
    );
    expect(racing.reads()).toBe(2);
    expect(history.transitions).toEqual([tr(ago(10_001)), tr(ago(10_000)), tr(ago(1_000))]);
  });

  it('gives up with a StoreError after 6 lost races', async () => {
    const other = new DynamoHistoryStore(local.client, local.table);
    const racing = racingClient((i) => other.recordAndLoad('lost', [tr(ago(10_000 + i))], NOW, HOUR), 100);
    const store = new DynamoHistoryStore(racing.client, local.table);
    await expect(store.recordAndLoad('lost', [tr(ago(1_000))], NOW, HOUR)).rejects.toThrow(
      /gave up after 6 conflicting writes/,
    );
    expect(racing.reads()).toBe(6);
  });

  it('wraps other errors in StoreError with the cause', async () => {
    const store = new DynamoHistoryStore(local.client, 'no-such-table');
    const error = await store.recordAndLoad('x', [], NOW, HOUR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
