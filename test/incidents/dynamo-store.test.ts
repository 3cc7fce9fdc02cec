import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DETAIL_BYTES } from '../../lib/incidents/dynamo-items.js';
import { DynamoIncidentStore } from '../../lib/incidents/dynamo-store.js';
import { IncidentConflictError, IncidentStoreError } from '../../lib/incidents/errors.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import type { Incident, TimelineEntry } from '../../lib/incidents/model.js';
import type { IncidentStore } from '../../lib/incidents/ports.js';
import { createStateTable } from '../../lib/twin/dynamo.js';
import { type LocalTable, startDynalite } from '../store/dynalite.js';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const DAY = 86_400;

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-hq-20250301T120105',
    subject: 'hq',
    kind: 'connection-down',
    severity: 'major',
    peakSeverity: 'major',
    status: 'open',
    summary: 'both tunnels of vpn-0a1 are down',
    startedAt: at(0),
    detectedAt: at(65),
    lastObservedAt: at(65),
    reopenCount: 0,
    version: 1,
    ...overrides,
  };
}

const resolve = (i: Incident, seconds = 600): Incident => ({
  ...i,
  status: 'resolved',
  resolvedAt: at(seconds),
  lastObservedAt: at(seconds),
  version: i.version + 1,
});

const entry = (entryId: string, when: string, detail: Record<string, unknown> = {}): TimelineEntry => ({
  incidentId: 'inc-hq-20250301T120105',
  at: when,
  type: 'signal',
  entryId,
  summary: `entry ${entryId}`,
  detail,
});

let local: LocalTable;
beforeAll(async () => {
  local = await startDynalite('incidents');
});
afterAll(async () => {
  await local?.close();
});

/** A table per store: `list` reads one index partition, which tests sharing a table would pollute. */
let tables = 0;
const freshTable = () => createStateTable(local.client, `${local.table}-${++tables}`);

// A page size of 3 makes every timeline and list below cross page boundaries.
const implementations: [string, () => Promise<IncidentStore>][] = [
  [
    'DynamoIncidentStore',
    async () => new DynamoIncidentStore(local.client, await freshTable(), { pageSize: 3 }),
  ],
  ['InMemoryIncidentStore', async () => new InMemoryIncidentStore()],
];

describe.each(implementations)('%s', (_kind, make) => {
  it('saves, gets and finds the current incident of a subject', async () => {
    const store = await make();
    expect(await store.get('inc-none')).toBeUndefined();
    expect(await store.current('hq')).toBeUndefined();
    const opened = incident();
    await store.save(opened, 0);
    expect(await store.get(opened.id)).toEqual(opened);
    expect(await store.current('hq')).toEqual(opened);
    const mitigated = { ...opened, mitigatedAt: at(180), severity: 'minor' as const, version: 2 };
    await store.save(mitigated, 1);
    expect(await store.get(opened.id)).toEqual(mitigated);
    expect(await store.current('hq')).toEqual(mitigated);
    expect(await store.current('branch')).toBeUndefined();
  });

  it('keeps the failure an incident is about, and loads an incident stored without it as before', async () => {
    const store = await make();
    const onPath = incident({ path: 'primary', openedKind: 'redundancy-lost', openedPath: 'primary' });
    await store.save(onPath, 0);
    expect(await store.get(onPath.id)).toEqual(onPath);
    // A retried save of the same incident is done; one that differs only in its path is a conflict.
    await store.save(onPath, 0);
    await expect(store.save({ ...onPath, path: 'backup' }, 0)).rejects.toBeInstanceOf(IncidentConflictError);
    const legacy = incident({ id: 'inc-branch-20250301T120105', subject: 'branch' });
    await store.save(legacy, 0);
    const loaded = await store.get(legacy.id);
    expect(loaded).toEqual(legacy);
    expect(loaded && 'path' in loaded).toBe(false);
  });

  it('lets exactly one of two concurrent writers with the same expected version win', async () => {
    const store = await make();
    await store.save(incident(), 0);
    const writers = ['writer a', 'writer b'].map((summary) => incident({ summary, version: 2 }));
    const results = await Promise.allSettled(writers.map((w) => store.save(w, 1)));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [writers[i]] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(IncidentConflictError);
    expect(await store.get(incident().id)).toEqual(won[0]);
  });

  it('refuses stale and absent expected versions, and versions that do not step by one', async () => {
    const store = await make();
    await expect(store.save(incident({ version: 3 }), 2)).rejects.toThrow(IncidentConflictError);
    await store.save(incident(), 0);
    await expect(store.save(incident({ summary: 'again' }), 0)).rejects.toThrow(IncidentConflictError);
    await expect(store.save(incident({ version: 4 }), 3)).rejects.toThrow(IncidentConflictError);
    const skip = store.save(incident({ version: 3 }), 1);
    await expect(skip).rejects.toThrow('version must be expectedVersion + 1 = 2, got 3');
    await expect(skip).rejects.not.toBeInstanceOf(IncidentConflictError);
    await expect(store.save({ ...incident(), status: 'resolved', version: 2 }, 1)).rejects.toThrow(
      'resolved but has no resolvedAt',
    );
  });

  it('treats a retried save of the very same incident as done', async () => {
    const store = await make();
    await store.save(incident(), 0);
    await store.save(incident(), 0);
    expect(await store.get(incident().id)).toEqual(incident());
  });

  it('keeps one current incident per subject: a new one replaces only a resolved one', async () => {
    const store = await make();
    const old = incident({ id: 'inc-hq-1', detectedAt: at(10) });
    const recent = incident({ id: 'inc-hq-2', detectedAt: at(3600) });
    await store.save(old, 0);
    // Two runs that both saw no open incident cannot both open one.
    await expect(store.save(recent, 0)).rejects.toBeInstanceOf(IncidentConflictError);
    await store.save(resolve(old), 1);
    await store.save(recent, 0);
    // A late write to the replaced incident is a conflict and leaves the pointer alone.
    await expect(store.save({ ...resolve(old), version: 3 }, 2)).rejects.toBeInstanceOf(
      IncidentConflictError,
    );
    expect((await store.current('hq'))?.id).toBe('inc-hq-2');
    expect((await store.get('inc-hq-1'))?.status).toBe('resolved');
  });

  it('appends each entry once, also when appends race', async () => {
    const store = await make();
    expect(await store.append([entry('e1', at(1))])).toBe(1);
    expect(await store.append([entry('e1', at(1))])).toBe(0);
    expect(await store.append([entry('e2', at(2)), entry('e2', at(2))])).toBe(1);
    const batch = ['e3', 'e4', 'e5', 'e6'].map((id, i) => entry(id, at(3 + i)));
    const counts = await Promise.all([1, 2, 3, 4, 5].map(() => store.append(batch)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect((await store.timeline(entry('x', at(0)).incidentId)).map((e) => e.entryId)).toEqual([
      'e1',
      'e2',
      'e3',
      'e4',
      'e5',
      'e6',
    ]);
  });

  it('returns the timeline oldest first across pages, comparing instants not strings', async () => {
    const store = await make();
    const entries = [
      entry('late', '2025-03-01T12:00:01Z'),
      entry('b-tie', at(0.5)),
      entry('a-tie', at(0.5)),
      entry('first', '2025-03-01T12:00:00Z'),
      ...Array.from({ length: 8 }, (_, i) => entry(`n${i}`, at(10 + i))),
    ];
    await store.append(entries.reverse());
    const ids = (await store.timeline('inc-hq-20250301T120105')).map((e) => e.entryId);
    expect(ids).toEqual(['first', 'a-tie', 'b-tie', 'late', 'n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
    expect(await store.timeline('inc-none')).toEqual([]);
  });

  it('lists newest first, filtered by status and limited', async () => {
    const store = await make();
    const ids = Array.from({ length: 8 }, (_, i) => `inc-hq-${i}`);
    for (const [i, id] of ids.entries()) {
      const opened = incident({ id, subject: `site-${i}`, detectedAt: at(i * 60) });
      await store.save(opened, 0);
      if (i % 2 === 0) await store.save(resolve(opened, i * 60 + 30), 1);
    }
    const listed = async (options: Parameters<IncidentStore['list']>[0]) =>
      (await store.list(options)).map((i) => i.id);
    expect(await listed({ limit: 20 })).toEqual([...ids].reverse());
    expect(await listed({ limit: 2 })).toEqual(['inc-hq-7', 'inc-hq-6']);
    expect(await listed({ status: 'open', limit: 3 })).toEqual(['inc-hq-7', 'inc-hq-5', 'inc-hq-3']);
    expect(await listed({ status: 'resolved', limit: 20 })).toEqual([
      ...['inc-hq-6', 'inc-hq-4', 'inc-hq-2', 'inc-hq-0'],
    ]);
    expect(await listed({ limit: 0 })).toEqual([]);
    expect((await store.list({ status: 'resolved', limit: 1 }))[0]).toEqual(await store.get('inc-hq-6'));
  });

  it('lists an incident once when its detectedAt moves', async () => {
    const store = await make();
    await store.save(incident(), 0);
    await store.save(incident({ detectedAt: at(70), version: 2 }), 1);
    expect((await store.list({ limit: 10 })).map((i) => [i.id, i.detectedAt])).toEqual([
      [incident().id, at(70)],
    ]);
  });

  it('keeps details as JSON and truncates one that would not fit in an item', async () => {
    const store = await make();
    const detail = { nested: { list: [1, 'two', null, true] }, dropped: undefined, empty: '' };
    const blob = 'x'.repeat(MAX_DETAIL_BYTES + 1);
    await store.append([entry('small', at(1), detail), entry('huge', at(2), { blob })]);
    const [small, huge] = await store.timeline('inc-hq-20250301T120105');
    expect(small?.detail).toEqual({ nested: { list: [1, 'two', null, true] }, empty: '' });
    expect(huge?.detail).toMatchObject({ truncated: true, bytes: MAX_DETAIL_BYTES + 12 });
    expect(huge?.detail.summary).toMatch(/^\{"blob":"x{100}/);
    expect(JSON.stringify(huge?.detail).length).toBeLessThan(2_000);
  });
});

describe('DynamoIncidentStore on the table', () => {
  const get = async (table: string, pk: string, sk: string) =>
    (await local.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: sk } } })))
      .Item;
  const expiresAt = async (table: string, pk: string, sk: string) => (await get(table, pk, sk))?.expiresAt?.N;
  const ID = 'inc-hq-20250301T120105';

  it('sets TTL on resolve, on every item of the incident, and clears it on reopen', async () => {
    const table = await freshTable();
    const store = new DynamoIncidentStore(local.client, table, { retentionDays: 7, pageSize: 2 });
    const opened = incident();
    await store.save(opened, 0);
    await store.append([entry('e1', at(1)), entry('e2', at(2)), entry('e3', at(3))]);
    const keys: [string, string][] = [
      [`INCIDENT#${ID}`, 'META'],
      ['INCIDENTS', `${opened.detectedAt}#${ID}`],
      ['SUBJECT#hq', 'INCIDENT'],
      [`INCIDENT#${ID}`, `T#${at(1)}#e1`],
      [`INCIDENT#${ID}`, `T#${at(3)}#e3`],
    ];
    for (const [pk, sk] of keys) expect(await expiresAt(table, pk, sk)).toBeUndefined();
    const resolved = resolve(opened, 600);
    await store.save(resolved, 1);
    const ttl = String(Math.ceil((T0 + 600_000) / 1000) + 7 * DAY);
    for (const [pk, sk] of keys) expect(await expiresAt(table, pk, sk)).toBe(ttl);
    await store.append([entry('after', at(700))]);
    expect(await expiresAt(table, `INCIDENT#${ID}`, `T#${at(700)}#after`)).toBe(ttl);
    const { resolvedAt: _, ...reopenedFields } = resolved;
    await store.save({ ...reopenedFields, status: 'open', reopenCount: 1, version: 3 }, 2);
    for (const [pk, sk] of keys) expect(await expiresAt(table, pk, sk)).toBeUndefined();
    expect(await expiresAt(table, `INCIDENT#${ID}`, `T#${at(700)}#after`)).toBeUndefined();
  });

  it('completes a save that stopped after the incident item when it is retried', async () => {
    const table = await freshTable();
    const store = new DynamoIncidentStore(local.client, table);
    await store.save(incident(), 0);
    // As if the invocation died right after the META write: no pointer and no index row.
    for (const [pk, sk] of [
      ['SUBJECT#hq', 'INCIDENT'],
      ['INCIDENTS', `${at(65)}#${ID}`],
    ] as const) {
      await local.client.send(
        new DeleteItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: sk } } }),
      );
    }
    expect(await store.current('hq')).toBeUndefined();
    await store.save(incident(), 0);
    expect(await store.current('hq')).toEqual(incident());
    expect(await store.list({ limit: 5 })).toEqual([incident()]);
  });

  it('names the item when one is malformed instead of casting it', async () => {
    const table = await freshTable();
    const store = new DynamoIncidentStore(local.client, table);
    const put = (item: Record<string, string>) =>
      local.client.send(
        new PutItemCommand({
          TableName: table,
          Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { S: v }])),
        }),
      );
    await put({ pk: 'INCIDENT#bad', sk: 'META', id: 'bad', subject: 'hq' });
    await expect(store.get('bad')).rejects.toThrow(IncidentStoreError);
    await expect(store.get('bad')).rejects.toThrow('item INCIDENT#bad/META: kind is missing');
    await put({ pk: 'SUBJECT#hq', sk: 'INCIDENT' });
    await expect(store.current('hq')).rejects.toThrow('item SUBJECT#hq/INCIDENT: id is missing');
    await put({ pk: 'INCIDENT#bad', sk: 'T#x#1', incidentId: 'bad', at: 'x', type: 'signal' });
    await put({ pk: 'INCIDENT#bad', sk: 'T#x#2', incidentId: 'bad', at: 'x', type: 'gossip' });
    await expect(store.timeline('bad')).rejects.toThrow('item INCIDENT#bad/T#x#1: entryId is missing');
    await put({
      pk: 'INCIDENTS',
      sk: 'x',
      ...Object.fromEntries(Object.entries(incident()).map(([k, v]) => [k, String(v)])),
    });
    await expect(store.list({ limit: 1 })).rejects.toThrow(
      'item INCIDENTS/x: reopenCount is not a whole number',
    );
  });

  it('keeps the outbox with the channels each change still owes, and reads an outbox stored before channels were tracked', async () => {
    const table = await freshTable();
    const store = new DynamoIncidentStore(local.client, table);
    const unpublished = [
      { change: 'opened', version: 1, owed: ['sns'] },
      { change: 'updated', version: 2, owed: ['eventbridge', 'sns'] },
      { change: 'resolved', version: 3 },
      { change: 'resolved', version: 4, owed: ['sns'], incidentId: 'inc-hq-20250301T110000Z' },
    ] as const;
    await store.save(incident({ unpublished }), 0);
    expect((await store.get(ID))?.unpublished).toEqual(unpublished);
    expect((await get(table, `INCIDENT#${ID}`, 'META'))?.unpublished?.S).toBe(
      'opened@1:sns,updated@2:eventbridge+sns,resolved@3,resolved@4:sns/inc-hq-20250301T110000Z',
    );
    // As the earlier release wrote it: no channels, so both are owed.
    await local.client.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          ...(await get(table, `INCIDENT#${ID}`, 'META')),
          unpublished: { S: 'opened@1,resolved@2' },
        },
      }),
    );
    expect((await store.get(ID))?.unpublished).toEqual([
      { change: 'opened', version: 1 },
      { change: 'resolved', version: 2 },
    ]);
  });

  it.each(['opened@1:pager', 'opened@1:', 'opened@1:sns+sns', 'opened@0', 'closed@1:sns', 'opened@1:sns/'])(
    'names a malformed outbox entry %j instead of guessing',
    async (text) => {
      const table = await freshTable();
      const store = new DynamoIncidentStore(local.client, table);
      await store.save(incident(), 0);
      await local.client.send(
        new PutItemCommand({
          TableName: table,
          Item: { ...(await get(table, `INCIDENT#${ID}`, 'META')), unpublished: { S: text } },
        }),
      );
      await expect(store.get(ID)).rejects.toThrow(`unpublished holds "${text}"`);
    },
  );

  it('wraps SDK failures in IncidentStoreError with the cause', async () => {
    const store = new DynamoIncidentStore(local.client, 'no-such-table');
    const error = await store.get('inc-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncidentStoreError);
    expect((error as Error).message).toMatch(/^could not read incident inc-1 \(ResourceNotFoundException/);
    expect((error as Error).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(store.save(incident(), 0)).rejects.toThrow(IncidentStoreError);
  });
});
