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
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { isConditionFailure } from '../store/table.js';
import { attempt, conditional, conditionalPut, getItem, queryPages, storeError } from './dynamo-calls.js';
import {
  checkSave,
  conflictError,
  entryItem,
  expiryOf,
  fromEntryItem,
  fromIncidentItem,
  INDEX_PK,
  type Item,
  incidentAttributes,
  incidentPk,
  indexKey,
  instant,
  keyOf,
  metaKey,
  n,
  pointerKey,
  reader,
  s,
  sameIncident,
} from './dynamo-items.js';
import { IncidentStoreError } from './errors.js';
import type { Incident, IncidentStatus, TimelineEntry } from './model.js';
import type { IncidentStore } from './ports.js';

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
    const what = `could not read the incident pointer of ${subject}`;
    const Item = await getItem(this.client, this.table, what, pointerKey(subject));
    if (Item === undefined) return undefined;
    // The pointer holds the whole current incident (it is the item every save decides on); a pointer
    // written before it did holds only the id: then META is the truth.
    if (Item.subject !== undefined) return fromIncidentItem(Item);
    // The pointed-at incident may be gone (TTL): then the subject has no current incident.
    return this.get(reader(Item).text('id'));
  }

  public async get(id: string): Promise<Incident | undefined> {
    const Item = await getItem(this.client, this.table, `could not read incident ${id}`, metaKey(id));
    if (Item === undefined) return undefined;
    const incident = fromIncidentItem(Item);
    if (incident.id !== id)
      throw new IncidentStoreError(`item ${keyOf(Item)}: holds incident ${incident.id}`);
    // META is written after the pointer: a save that failed in between left the pointer ahead.
    const what = `could not read the incident pointer of ${incident.subject}`;
    const pointer = await getItem(this.client, this.table, what, pointerKey(incident.subject));
    const pointed = pointer?.subject === undefined ? undefined : fromIncidentItem(pointer);
    return pointed?.id === id && pointed.version > incident.version ? pointed : incident;
  }

  /**
   * The subject's pointer decides: it is written first, conditionally (an update needs the pointer at
   * this incident and `expectedVersion`; a new incident may only replace none or a resolved one), and
   * it holds the whole incident. So a failure at any later write (META, index, TTL stamps) leaves the
   * subject with exactly one current incident, which the next save completes; and two runs can never
   * both open an incident for one subject.
   */
  public async save(incident: Incident, expectedVersion: number): Promise<void> {
    const order = checkSave(incident, expectedVersion);
    const expiresAt = expiryOf(incident, this.retentionDays);
    const ttl: Item = expiresAt === undefined ? {} : { expiresAt: n(expiresAt) };
    const attributes = this.attributesOf(incident);
    const replaced = await this.claimPointer(incident, expectedVersion, { ...attributes, order: s(order) });
    // The incident this one replaces: make sure its last state reached META before it stops being current.
    if (replaced !== undefined && replaced.id !== incident.id) await this.writeMeta(replaced);
    const previous = await this.writeMeta(incident);
    const what = `could not index incident ${incident.id}`;
    const oldDetectedAt = previous?.detectedAt?.S;
    const oldOrder =
      oldDetectedAt === undefined ? order : `${instant(oldDetectedAt, 'detectedAt')}#${incident.id}`;
    // detectedAt moved, and the index key with it: drop the old row so that the incident is listed once.
    if (oldOrder !== order) {
      const Key = indexKey(oldOrder);
      await attempt(what, () => this.client.send(new DeleteItemCommand({ TableName: this.table, Key })));
    }
    await conditionalPut(this.client, this.table, what, {
      Item: { ...indexKey(order), ...attributes },
      ConditionExpression: 'attribute_not_exists(pk) OR #version < :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': n(incident.version) },
    });
    // No previous item: a first save (stamp if it has an expiry) or a completed retry (stamp: unknown before).
    const changed =
      previous === undefined
        ? expectedVersion > 0 || expiresAt !== undefined
        : previous.expiresAt?.N !== ttl.expiresAt?.N;
    if (changed) await this.restamp(incident.id, expiresAt);
  }

  private attributesOf(incident: Incident): Item {
    const expiresAt = expiryOf(incident, this.retentionDays);
    return {
      ...incidentAttributes(incident),
      ...(expiresAt === undefined ? {} : { expiresAt: n(expiresAt) }),
    };
  }

  /** The deciding write. Returns the incident the pointer held before, when it held a whole one. */
  private async claimPointer(
    incident: Incident,
    expectedVersion: number,
    attributes: Item,
  ): Promise<Incident | undefined> {
    const names = { '#version': 'version', '#status': 'status', '#id': 'id' };
    try {
      const { Attributes } = await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...pointerKey(incident.subject), ...attributes },
          ReturnValues: 'ALL_OLD',
          ...(expectedVersion === 0
            ? {
                ConditionExpression: 'attribute_not_exists(pk) OR #status = :resolved',
                ExpressionAttributeNames: { '#status': names['#status'] },
                ExpressionAttributeValues: { ':resolved': s('resolved') },
              }
            : {
                ConditionExpression: '#id = :id AND #version = :expected',
                ExpressionAttributeNames: { '#id': names['#id'], '#version': names['#version'] },
                ExpressionAttributeValues: { ':id': s(incident.id), ':expected': n(expectedVersion) },
              }),
        }),
      );
      return Attributes?.subject === undefined ? undefined : fromIncidentItem(Attributes);
    } catch (error) {
      if (!isConditionFailure(error)) throw storeError(`could not save incident ${incident.id}`, error);
      const stored = await this.current(incident.subject);
      // Our own earlier attempt (or the SDK's retry after a lost response) got there: complete it.
      if (stored !== undefined && sameIncident(stored, incident)) return undefined;
      throw conflictError(incident, expectedVersion);
    }
  }

  /** META is a copy of the pointer's incident, for `get` by id: written only over an older version. */
  private async writeMeta(incident: Incident): Promise<Item | undefined> {
    const item = this.attributesOf(incident);
    try {
      const { Attributes } = await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...metaKey(incident.id), ...item },
          ReturnValues: 'ALL_OLD',
          ConditionExpression: 'attribute_not_exists(pk) OR #version <= :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': n(incident.version) },
        }),
      );
      return Attributes;
    } catch (error) {
      // A newer copy is there already: nothing to do.
      if (isConditionFailure(error)) return undefined;
      throw storeError(`could not save incident ${incident.id}`, error);
    }
  }

  public async append(entries: readonly TimelineEntry[]): Promise<number> {
    // Keys and details first: a bad entry must fail the call before anything is written.
    const items = entries.map((entry) => ({ entry, item: entryItem(entry) }));
    const expiries = new Map<string, AttributeValue | undefined>();
    for (const id of new Set(entries.map((entry) => entry.incidentId)))
      expiries.set(id, await this.expiry(id));
    const written = await Promise.all(
      items.map(({ entry, item }) => {
        const expiresAt = expiries.get(entry.incidentId);
        const what = `could not append ${entry.entryId} to incident ${entry.incidentId}`;
        // A failed condition is an entry already stored: a redelivered event.
        return conditionalPut(this.client, this.table, what, {
          Item: expiresAt === undefined ? item : { ...item, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        });
      }),
    );
    return written.filter(Boolean).length;
  }

  public async timeline(id: string): Promise<TimelineEntry[]> {
    const entries: TimelineEntry[] = [];
    for await (const page of this.timelinePages(id)) entries.push(...page.map(fromEntryItem));
    return entries;
  }

  public async list(options: { status?: IncidentStatus; limit: number }): Promise<Incident[]> {
    const { status, limit } = options;
    const found: Incident[] = [];
    if (limit <= 0) return found;
    const pages = queryPages(this.client, this.table, 'could not list incidents', {
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
    const what = `could not read incident ${id}`;
    return (await getItem(this.client, this.table, what, metaKey(id), 'expiresAt'))?.expiresAt;
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
        page.map((item) => conditional(`could not set the expiry of ${keyOf(item)}`, () => stamp(item))),
      );
    }
  }

  private timelinePages(id: string, projection?: string): AsyncGenerator<Item[]> {
    return queryPages(this.client, this.table, `could not read the timeline of incident ${id}`, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': s(incidentPk(id)), ':prefix': s('T#') },
      ConsistentRead: true,
      Limit: this.pageSize,
      ...(projection === undefined ? {} : { ProjectionExpression: projection }),
    });
  }
}
