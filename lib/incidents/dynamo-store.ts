/**
 * Incidents in the shared state table (see store/table.ts). Items:
 *  - `INCIDENT#<id>` / `META`: the incident itself, the source of truth; `version` guards every write.
 *  - `INCIDENT#<id>` / `T#<at>#<entryId>`: its timeline; `detail` is a JSON string.
 *  - `SUBJECT#<subject>` / `INCIDENT`: `{ id }` of the subject's newest incident, for `current`.
 *  - `INCIDENTS` / `<detectedAt>#<id>`: a copy of every incident, for `list`. The table has no GSI, so this
 *    hand-kept index stands in for one. It is a single partition, which is fine at incident volumes (a few
 *    writes a day against the 1,000 writes a second one partition takes), and it copies the whole incident
 *    rather than a few fields so that `list` is one paged Query with no GetItem per row.
 *
 * No TransactWriteItems: dynalite, which the tests run against, does not implement it, and the production
 * path should be the tested one. So `save` writes META conditionally first (the only write that decides
 * anything), then the index and the pointer. Both are derived from META and carry its version, and each is
 * written only over an older one, so racing or late writers converge on the newest incident. A save that
 * failed half-way is completed by retrying it: a retry that finds exactly its own incident stored (its own
 * earlier attempt, or the SDK's retry after a lost response) succeeds and writes the rest. Until then
 * `list` may show the previous version; `get` and `current` read META and are never behind it.
 *
 * Timeline entries are deduplicated on their sort key, `at` plus `entryId`: both come from the event, so a
 * redelivery reproduces them. Times in sort keys are normalised to `toISOString()` so they sort as instants.
 *
 * TTL: a resolved incident expires `retentionDays` after `resolvedAt` (META, index, pointer and timeline);
 * an open one never does. Entries appended to a resolved incident get its expiry at once; when a save
 * changes the expiry (resolve, reopen) the entries already stored are re-stamped so that no timeline
 * outlives its incident. An entry appended while a resolve is in flight can miss the stamp; the next
 * resolve of that incident fixes it.
 */
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { epochSeconds, isConditionFailure } from '../store/table.js';
import { IncidentConflictError, IncidentStoreError } from './errors.js';
import {
  INCIDENT_KINDS,
  type Incident,
  SEVERITIES,
  type TimelineEntry,
  type TimelineEntryType,
} from './model.js';
import type { IncidentStore } from './ports.js';

type Item = Record<string, AttributeValue>;

const DAY_MS = 86_400_000;
const INDEX_PK = 'INCIDENTS';
const META_SK = 'META';
const POINTER_SK = 'INCIDENT';
const incidentPk = (id: string) => `INCIDENT#${id}`;
const subjectPk = (subject: string) => `SUBJECT#${subject}`;
const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const keyOf = (item: Item) => `${item.pk?.S ?? '?'}/${item.sk?.S ?? '?'}`;

/** A detail over this is replaced: an item may not exceed 400 KB, and the rest of the entry needs room. */
export const MAX_DETAIL_BYTES = 300 * 1024;
const PREVIEW_CHARS = 1_000;
const ENTRY_TYPES = [
  'signal',
  'plan',
  'action',
  'state',
  'note',
] as const satisfies readonly TimelineEntryType[];
const STATUSES = ['open', 'resolved'] as const;
const FIELDS = [
  ...['id', 'subject', 'kind', 'severity', 'peakSeverity', 'status', 'summary', 'startedAt', 'detectedAt'],
  ...['mitigatedAt', 'resolvedAt', 'lastObservedAt', 'reopenCount', 'version'],
] as const satisfies readonly (keyof Incident)[];

/** One format for every time in a sort key, so keys compare as instants (`…00Z` sorts after `…00.5Z`). */
function instant(iso: string, what: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${what} is not a valid time: ${iso}`);
  return new Date(ms).toISOString();
}
const orderKey = (i: Incident) => `${instant(i.detectedAt, `incident ${i.id} detectedAt`)}#${i.id}`;
const entryKey = (e: TimelineEntry) => `T#${instant(e.at, `timeline entry ${e.entryId} at`)}#${e.entryId}`;
const newer = (a: { order: string; version: number }, b: { order: string; version: number }) =>
  a.order > b.order || (a.order === b.order && a.version > b.version);
const sameIncident = (a: Incident, b: Incident) => FIELDS.every((field) => a[field] === b[field]);

/** Caller bugs rather than races, so plain Errors: the version must step by one and times must parse. */
function checkSave(incident: Incident, expectedVersion: number): string {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 0 || incident.version !== expectedVersion + 1) {
    throw new Error(
      `incident ${incident.id}: version must be expectedVersion + 1 = ${expectedVersion + 1}, got ${incident.version}`,
    );
  }
  if (incident.status === 'resolved' && incident.resolvedAt === undefined)
    throw new Error(`incident ${incident.id} is resolved but has no resolvedAt`);
  if (incident.resolvedAt !== undefined) instant(incident.resolvedAt, `incident ${incident.id} resolvedAt`);
  return orderKey(incident);
}

/** Epoch seconds; open incidents never expire: TTL must not drop an incident someone still works on. */
function expiryOf(incident: Incident, retentionDays: number): number | undefined {
  if (incident.status !== 'resolved' || incident.resolvedAt === undefined) return undefined;
  return epochSeconds(Date.parse(incident.resolvedAt) + retentionDays * DAY_MS);
}

function encodeDetail(entry: TimelineEntry): string {
  let json: string;
  try {
    json = JSON.stringify(entry.detail);
  } catch (error) {
    throw new IncidentStoreError(`timeline entry ${entry.entryId}: detail is not JSON`, { cause: error });
  }
  const bytes = Buffer.byteLength(json);
  // Truncated rather than refused: the entry (its type and summary) matters more than a huge detail.
  return bytes <= MAX_DETAIL_BYTES
    ? json
    : JSON.stringify({ truncated: true, bytes, summary: `${json.slice(0, PREVIEW_CHARS)}…` });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads attributes or names the item and the attribute that is wrong: a silent cast would spread garbage. */
function reader(item: Item) {
  const fail = (what: string) => new IncidentStoreError(`item ${keyOf(item)}: ${what}`);
  const optional = (name: string): string | undefined => {
    const value = item[name];
    if (value !== undefined && value.S === undefined) throw fail(`${name} is not a string`);
    return value?.S;
  };
  const text = (name: string): string => {
    const value = optional(name);
    if (value === undefined) throw fail(`${name} is missing`);
    return value;
  };
  const count = (name: string): number => {
    const value = Number(item[name]?.N);
    if (!Number.isInteger(value) || value < 0) throw fail(`${name} is not a whole number`);
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
    const value = text(name);
    const found = allowed.find((candidate) => candidate === value);
    if (found === undefined) throw fail(`${name} "${value}" is not one of ${allowed.join(', ')}`);
    return found;
  };
  return { fail, optional, text, count, oneOf };
}

function fromIncidentItem(item: Item): Incident {
  const r = reader(item);
  const mitigatedAt = r.optional('mitigatedAt');
  const resolvedAt = r.optional('resolvedAt');
  return {
    id: r.text('id'),
    subject: r.text('subject'),
    kind: r.oneOf('kind', INCIDENT_KINDS),
    severity: r.oneOf('severity', SEVERITIES),
    peakSeverity: r.oneOf('peakSeverity', SEVERITIES),
    status: r.oneOf('status', STATUSES),
    summary: r.text('summary'),
    startedAt: r.text('startedAt'),
    detectedAt: r.text('detectedAt'),
    ...(mitigatedAt === undefined ? {} : { mitigatedAt }),
    ...(resolvedAt === undefined ? {} : { resolvedAt }),
    lastObservedAt: r.text('lastObservedAt'),
    reopenCount: r.count('reopenCount'),
    version: r.count('version'),
  };
}

function decodeDetail(json: string, where: string): Record<string, unknown> {
  let detail: unknown;
  try {
    detail = JSON.parse(json);
  } catch (error) {
    throw new IncidentStoreError(`${where}: detail is not JSON`, { cause: error });
  }
  if (!isRecord(detail)) throw new IncidentStoreError(`${where}: detail is not a JSON object`);
  return detail;
}

function fromEntryItem(item: Item): TimelineEntry {
  const r = reader(item);
  return {
    incidentId: r.text('incidentId'),
    at: r.text('at'),
    type: r.oneOf('type', ENTRY_TYPES),
    entryId: r.text('entryId'),
    summary: r.text('summary'),
    detail: decodeDetail(r.text('detail'), `item ${keyOf(item)}`),
  };
}

function incidentAttributes(incident: Incident): Item {
  const item: Item = {};
  for (const field of FIELDS) {
    const value = incident[field];
    if (value !== undefined) item[field] = typeof value === 'number' ? n(value) : s(value);
  }
  return item;
}

const conflictError = (incident: Incident, expectedVersion: number) =>
  new IncidentConflictError(`incident ${incident.id} is no longer at version ${expectedVersion}`);

function storeError(what: string, cause: unknown): IncidentStoreError {
  // The cause's message goes into ours so the CLI, which prints only the message, says what failed.
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new IncidentStoreError(`${what} (${reason})`, { cause });
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be positive, got ${value}`);
  return value;
}

export interface DynamoIncidentStoreOptions {
  /** How long a resolved incident is kept (DynamoDB TTL), in days; default 90. */
  retentionDays?: number;
  /** Items per Query page; small values let tests exercise pagination. */
  pageSize?: number;
}

export class DynamoIncidentStore implements IncidentStore {
  private readonly retentionDays: number;
  private readonly pageSize: number;

  public constructor(
    private readonly client: DynamoDBClient,
    public readonly table: string,
    options: DynamoIncidentStoreOptions = {},
  ) {
    this.retentionDays = positive(options.retentionDays ?? 90, 'retentionDays');
    this.pageSize = positive(options.pageSize ?? 100, 'pageSize');
  }

  public async current(subject: string): Promise<Incident | undefined> {
    const key = { pk: s(subjectPk(subject)), sk: s(POINTER_SK) };
    const { Item } = await this.attempt(`could not read the incident pointer of ${subject}`, () =>
      this.client.send(new GetItemCommand({ TableName: this.table, Key: key, ConsistentRead: true })),
    );
    // The pointed-at incident may be gone (TTL): then the subject has no current incident.
    return Item === undefined ? undefined : this.get(reader(Item).text('id'));
  }

  public async get(id: string): Promise<Incident | undefined> {
    const key = { pk: s(incidentPk(id)), sk: s(META_SK) };
    const { Item } = await this.attempt(`could not read incident ${id}`, () =>
      this.client.send(new GetItemCommand({ TableName: this.table, Key: key, ConsistentRead: true })),
    );
    if (Item === undefined) return undefined;
    const incident = fromIncidentItem(Item);
    if (incident.id !== id)
      throw new IncidentStoreError(`item ${keyOf(Item)}: holds incident ${incident.id}`);
    return incident;
  }

  public async save(incident: Incident, expectedVersion: number): Promise<void> {
    const order = checkSave(incident, expectedVersion);
    const expiresAt = expiryOf(incident, this.retentionDays);
    const ttl: Item = expiresAt === undefined ? {} : { expiresAt: n(expiresAt) };
    const attributes = { ...incidentAttributes(incident), ...ttl };
    let previous: Item | undefined;
    try {
      ({ Attributes: previous } = await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: s(incidentPk(incident.id)), sk: s(META_SK), ...attributes },
          ReturnValues: 'ALL_OLD',
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': n(expectedVersion) },
              }),
        }),
      ));
    } catch (error) {
      if (!isConditionFailure(error)) throw storeError(`could not save incident ${incident.id}`, error);
      const stored = await this.get(incident.id);
      if (stored === undefined || !sameIncident(stored, incident))
        throw conflictError(incident, expectedVersion);
    }
    const what = `could not index incident ${incident.id}`;
    const oldDetectedAt = previous?.detectedAt?.S;
    const oldOrder =
      oldDetectedAt === undefined ? order : `${instant(oldDetectedAt, 'detectedAt')}#${incident.id}`;
    // detectedAt moved, and the index key with it: drop the old row so that the incident is listed once.
    if (oldOrder !== order) {
      const Key = { pk: s(INDEX_PK), sk: s(oldOrder) };
      await this.attempt(what, () => this.client.send(new DeleteItemCommand({ TableName: this.table, Key })));
    }
    const version = { '#version': 'version' };
    await this.conditional(what, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: s(INDEX_PK), sk: s(order), ...attributes },
          ConditionExpression: 'attribute_not_exists(pk) OR #version < :version',
          ExpressionAttributeNames: version,
          ExpressionAttributeValues: { ':version': n(incident.version) },
        }),
      ),
    );
    const pointer = { id: s(incident.id), order: s(order), version: n(incident.version), ...ttl };
    await this.conditional(`could not point ${incident.subject} at incident ${incident.id}`, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: s(subjectPk(incident.subject)), sk: s(POINTER_SK), ...pointer },
          // Newest incident first, then newest version: a late save of an older incident keeps its hands off.
          ConditionExpression:
            'attribute_not_exists(pk) OR #order < :order OR (#order = :order AND #version < :version)',
          ExpressionAttributeNames: { ...version, '#order': 'order' },
          ExpressionAttributeValues: { ':version': n(incident.version), ':order': s(order) },
        }),
      ),
    );
    // No previous item: a first save (stamp if it has an expiry) or a completed retry (stamp: unknown before).
    const changed =
      previous === undefined
        ? expectedVersion > 0 || expiresAt !== undefined
        : previous.expiresAt?.N !== ttl.expiresAt?.N;
    if (changed) await this.restamp(incident.id, expiresAt);
  }

  public async append(entries: readonly TimelineEntry[]): Promise<number> {
    // Keys and details first: a bad entry must fail the call before anything is written.
    const items = entries.map((entry) => ({
      entry,
      item: {
        ...{ pk: s(incidentPk(entry.incidentId)), sk: s(entryKey(entry)), incidentId: s(entry.incidentId) },
        ...{ at: s(entry.at), type: s(entry.type), entryId: s(entry.entryId), summary: s(entry.summary) },
        detail: s(encodeDetail(entry)),
      },
    }));
    const expiries = new Map<string, AttributeValue | undefined>();
    for (const id of new Set(entries.map((entry) => entry.incidentId)))
      expiries.set(id, await this.expiry(id));
    const written = await Promise.all(
      items.map(({ entry, item }) => {
        const expiresAt = expiries.get(entry.incidentId);
        // A failed condition is an entry already stored: a redelivered event.
        return this.conditional(`could not append ${entry.entryId} to incident ${entry.incidentId}`, () =>
          this.client.send(
            new PutItemCommand({
              TableName: this.table,
              Item: expiresAt === undefined ? item : { ...item, expiresAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
      }),
    );
    return written.filter(Boolean).length;
  }

  public async timeline(id: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    for await (const page of this.timelinePages(id)) entries.push(...page.map(fromEntryItem));
    return entries;
  }

  public async list(options: { status?: 'open' | 'resolved'; limit: number }): Promise<Incident[]> {
    const { status, limit } = options;
    const found: Incident[] = [];
    if (limit <= 0) return found;
    const pages = this.pages('could not list incidents', {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': s(INDEX_PK) },
      ScanIndexForward: false,
      // Unfiltered, the first `limit` rows are the answer; filtered, how many to skip is unknown.
      Limit: status === undefined ? Math.min(limit, this.pageSize) : this.pageSize,
    });
    for await (const page of pages) {
      for (const incident of page.map(fromIncidentItem)) {
        if (status === undefined || incident.status === status) found.push(incident);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  /** The incident's TTL attribute as stored, to give to entries appended after it was resolved. */
  private async expiry(id: string): Promise<AttributeValue | undefined> {
    const key = { pk: s(incidentPk(id)), sk: s(META_SK) };
    const { Item } = await this.attempt(`could not read incident ${id}`, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.table,
          Key: key,
          ProjectionExpression: 'expiresAt',
          ConsistentRead: true,
        }),
      ),
    );
    return Item?.expiresAt;
  }

  private async restamp(id: string, expiresAt: number | undefined): Promise<void> {
    for await (const page of this.timelinePages(id, 'pk, sk')) {
      const stamp = (Key: Item) =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.table,
            Key,
            UpdateExpression: expiresAt === undefined ? 'REMOVE expiresAt' : 'SET expiresAt = :at',
            // Never re-create an entry that TTL or an operator removed meanwhile.
            ConditionExpression: 'attribute_exists(pk)',
            ...(expiresAt === undefined ? {} : { ExpressionAttributeValues: { ':at': n(expiresAt) } }),
          }),
        );
      await Promise.all(
        page.map((item) => this.conditional(`could not set the expiry of ${keyOf(item)}`, () => stamp(item))),
      );
    }
  }

  private timelinePages(id: string, projection?: string): AsyncGenerator<Item[]> {
    return this.pages(`could not read the timeline of incident ${id}`, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': s(incidentPk(id)), ':prefix': s('T#') },
      ConsistentRead: true,
      Limit: this.pageSize,
      ...(projection === undefined ? {} : { ProjectionExpression: projection }),
    });
  }

  private async *pages(what: string, input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Item[]> {
    let start: Item | undefined;
    do {
      const page = await this.attempt(what, () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            ...input,
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        ),
      );
      yield page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  }

  /** A write whose failed condition is an answer (a newer item is there, or a duplicate), not an error. */
  private async conditional(what: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw storeError(what, error);
    }
  }

  private async attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw storeError(what, error);
    }
  }
}

/** The same contract in memory, for the CLI demo and pure tests: same keys, order, dedupe and truncation. */
export class InMemoryIncidentStore implements IncidentStore {
  private readonly incidents = new Map<string, Incident>();
  private readonly pointers = new Map<string, { id: string; order: string; version: number }>();
  /** Per incident, entries by the DynamoDB sort key, so that dedupe and order match the table's. */
  private readonly entries = new Map<string, Map<string, TimelineEntry>>();

  public async current(subject: string): Promise<Incident | undefined> {
    const pointer = this.pointers.get(subject);
    return pointer === undefined ? undefined : this.get(pointer.id);
  }

  public async get(id: string): Promise<Incident | undefined> {
    const incident = this.incidents.get(id);
    return incident === undefined ? undefined : { ...incident };
  }

  public async save(incident: Incident, expectedVersion: number): Promise<void> {
    const order = checkSave(incident, expectedVersion);
    const stored = this.incidents.get(incident.id);
    if (
      (stored?.version ?? 0) !== expectedVersion &&
      !(stored !== undefined && sameIncident(stored, incident))
    )
      throw conflictError(incident, expectedVersion);
    this.incidents.set(incident.id, { ...incident });
    const next = { id: incident.id, order, version: incident.version };
    const pointer = this.pointers.get(incident.subject);
    if (pointer === undefined || newer(next, pointer)) this.pointers.set(incident.subject, next);
  }

  public async append(entries: readonly TimelineEntry[]): Promise<number> {
    // Through JSON like the table, so a caller sees the same detail (and truncation) from both stores.
    const prepared = entries.map((entry) => ({
      entry,
      key: entryKey(entry),
      detail: decodeDetail(encodeDetail(entry), `timeline entry ${entry.entryId}`),
    }));
    let added = 0;
    for (const { entry, key, detail } of prepared) {
      const stored = this.entries.get(entry.incidentId) ?? new Map<string, TimelineEntry>();
      this.entries.set(entry.incidentId, stored);
      if (stored.has(key)) continue;
      stored.set(key, { ...entry, detail });
      added++;
    }
    return added;
  }

  public async timeline(id: string): Promise<TimelineEntry[]> {
    const stored = [...(this.entries.get(id) ?? new Map<string, TimelineEntry>())];
    return stored.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => ({ ...entry }));
  }

  public async list(options: { status?: 'open' | 'resolved'; limit: number }): Promise<Incident[]> {
    const { status, limit } = options;
    return [...this.incidents.values()]
      .filter((incident) => status === undefined || incident.status === status)
      .map((incident) => ({ incident, order: orderKey(incident) }))
      .sort((a, b) => (a.order < b.order ? 1 : a.order > b.order ? -1 : 0))
      .slice(0, Math.max(0, limit))
      .map(({ incident }) => ({ ...incident }));
  }
}
