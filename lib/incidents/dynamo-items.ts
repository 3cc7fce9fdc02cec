/**
 * The items of the incident store (the layout is described in dynamo-store.ts): their keys, incidents and
 * timeline entries to and from attributes, detail truncation, and the save rules both stores share.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { SEVERITIES } from '../domain/severity.js';
import { epochSeconds } from '../store/table.js';
import { IncidentConflictError, IncidentStoreError } from './errors.js';
import {
  DELIVERY_CHANNELS,
  INCIDENT_CHANGES,
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  type Incident,
  type PendingChange,
  TIMELINE_ENTRY_TYPES,
  type TimelineEntry,
} from './model.js';
import { type RouteMovedDetail, RouteMovedDetailSchema } from './route-moved.js';

export type Item = Record<string, AttributeValue>;

const DAY_MS = 86_400_000;
export const INDEX_PK = 'INCIDENTS';
const META_SK = 'META';
const POINTER_SK = 'INCIDENT';
export const incidentPk = (id: string) => `INCIDENT#${id}`;
const subjectPk = (subject: string) => `SUBJECT#${subject}`;
export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });
export const metaKey = (id: string): Item => ({ pk: s(incidentPk(id)), sk: s(META_SK) });
export const pointerKey = (subject: string): Item => ({ pk: s(subjectPk(subject)), sk: s(POINTER_SK) });
export const indexKey = (order: string): Item => ({ pk: s(INDEX_PK), sk: s(order) });
export const keyOf = (item: Item) => `${item.pk?.S ?? '?'}/${item.sk?.S ?? '?'}`;

/** A detail over this is replaced: an item may not exceed 400 KB, and the rest of the entry needs room. */
export const MAX_DETAIL_BYTES = 300 * 1024;
const PREVIEW_CHARS = 1_000;

const FIELDS = [
  ...['id', 'subject', 'kind', 'severity', 'peakSeverity', 'status', 'summary', 'startedAt', 'detectedAt'],
  ...['mitigatedAt', 'resolvedAt', 'lastObservedAt', 'reopenCount', 'version'],
  ...['path', 'openedKind', 'openedPath'],
] as const satisfies readonly (keyof Incident)[];

/** One format for every time in a sort key, so keys compare as instants (`…00Z` sorts after `…00.5Z`). */
export function instant(iso: string, what: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${what} is not a valid time: ${iso}`);
  return new Date(ms).toISOString();
}
export const orderKey = (i: Incident) => `${instant(i.detectedAt, `incident ${i.id} detectedAt`)}#${i.id}`;
export const entryKey = (e: TimelineEntry) =>
  `T#${instant(e.at, `timeline entry ${e.entryId} at`)}#${e.entryId}`;
export const newer = (a: { order: string; version: number }, b: { order: string; version: number }) =>
  a.order > b.order || (a.order === b.order && a.version > b.version);
export const sameIncident = (a: Incident, b: Incident) => FIELDS.every((field) => a[field] === b[field]);

/** Caller bugs rather than races, so plain Errors: the version must step by one and times must parse. */
export function checkSave(incident: Incident, expectedVersion: number): string {
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
export function expiryOf(incident: Incident, retentionDays: number): number | undefined {
  if (incident.status !== 'resolved' || incident.resolvedAt === undefined) return undefined;
  return epochSeconds(Date.parse(incident.resolvedAt) + retentionDays * DAY_MS);
}

export function encodeDetail(entry: TimelineEntry): string {
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
export function reader(item: Item) {
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

/**
 * One outbox entry as text: `<change>@<version>`, then `:<channel>+<channel>` once a delivery was
 * tried and some channels are still owed, then `/<incident id>` when the change belongs to an
 * earlier incident of the subject. Items written before channels were tracked have no suffix and so
 * stay owed on every channel.
 */
const PENDING = /^([a-z]+)@([1-9]\d*)(?::([a-z]+(?:\+[a-z]+)*))?(?:\/([A-Za-z0-9-]+))?$/;

export function pendingText(p: PendingChange): string {
  const owed = p.owed === undefined ? '' : `:${p.owed.join('+')}`;
  const of = p.incidentId === undefined ? '' : `/${p.incidentId}`;
  return `${p.change}@${p.version}${owed}${of}`;
}

export function pendingOf(text: string): PendingChange {
  const fail = () =>
    new IncidentStoreError(
      `incident item: unpublished holds "${text}", not <change>@<version>[:<channel>+…][/<incident id>] with a change of ${INCIDENT_CHANGES.join(', ')} and channels of ${DELIVERY_CHANNELS.join(', ')}`,
    );
  const [, change = '', version = '', channels, incidentId] = PENDING.exec(text) ?? [];
  const known = INCIDENT_CHANGES.find((c) => c === change);
  if (known === undefined) throw fail();
  const of = incidentId === undefined ? {} : { incidentId };
  if (channels === undefined) return { change: known, version: Number(version), ...of };
  const owed = channels.split('+').map((name) => {
    const channel = DELIVERY_CHANNELS.find((c) => c === name);
    if (channel === undefined) throw fail();
    return channel;
  });
  if (new Set(owed).size !== owed.length) throw fail();
  return { change: known, version: Number(version), owed, ...of };
}

export function fromIncidentItem(item: Item): Incident {
  const r = reader(item);
  const mitigatedAt = r.optional('mitigatedAt');
  const resolvedAt = r.optional('resolvedAt');
  // Optional: incidents stored before they existed have none.
  const path = r.optional('path');
  const openedKind =
    r.optional('openedKind') === undefined ? undefined : r.oneOf('openedKind', INCIDENT_KINDS);
  const openedPath = r.optional('openedPath');
  const unpublished = (r.optional('unpublished')?.split(',') ?? []).map(pendingOf);
  const moves = r.optional('unpublishedMoves');
  const unpublishedMoves = moves === undefined ? [] : routeMovesOf(moves, r.fail);
  return {
    id: r.text('id'),
    subject: r.text('subject'),
    kind: r.oneOf('kind', INCIDENT_KINDS),
    severity: r.oneOf('severity', SEVERITIES),
    peakSeverity: r.oneOf('peakSeverity', SEVERITIES),
    status: r.oneOf('status', INCIDENT_STATUSES),
    summary: r.text('summary'),
    ...(path === undefined ? {} : { path }),
    ...(openedKind === undefined ? {} : { openedKind }),
    ...(openedPath === undefined ? {} : { openedPath }),
    startedAt: r.text('startedAt'),
    detectedAt: r.text('detectedAt'),
    ...(mitigatedAt === undefined ? {} : { mitigatedAt }),
    ...(resolvedAt === undefined ? {} : { resolvedAt }),
    lastObservedAt: r.text('lastObservedAt'),
    reopenCount: r.count('reopenCount'),
    version: r.count('version'),
    ...(unpublished.length === 0 ? {} : { unpublished }),
    ...(unpublishedMoves.length === 0 ? {} : { unpublishedMoves }),
  };
}

/** The Route Moved events an incident still owes, as stored: a JSON array of validated details. */
function routeMovesOf(json: string, fail: (what: string) => Error): RouteMovedDetail[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw fail('unpublishedMoves is not JSON');
  }
  const moves = z.array(RouteMovedDetailSchema).safeParse(parsed);
  if (!moves.success) throw fail(`unpublishedMoves breaks the Route Moved schema: ${moves.error.message}`);
  return moves.data;
}

export function decodeDetail(json: string, where: string): Record<string, unknown> {
  let detail: unknown;
  try {
    detail = JSON.parse(json);
  } catch (error) {
    throw new IncidentStoreError(`${where}: detail is not JSON`, { cause: error });
  }
  if (!isRecord(detail)) throw new IncidentStoreError(`${where}: detail is not a JSON object`);
  return detail;
}

export function fromEntryItem(item: Item): TimelineEntry {
  const r = reader(item);
  return {
    incidentId: r.text('incidentId'),
    at: r.text('at'),
    type: r.oneOf('type', TIMELINE_ENTRY_TYPES),
    entryId: r.text('entryId'),
    summary: r.text('summary'),
    detail: decodeDetail(r.text('detail'), `item ${keyOf(item)}`),
  };
}

/** The item of a timeline entry, without its expiry; throws before any write if the entry is bad. */
export function entryItem(entry: TimelineEntry): Item {
  return {
    ...{ pk: s(incidentPk(entry.incidentId)), sk: s(entryKey(entry)), incidentId: s(entry.incidentId) },
    ...{ at: s(entry.at), type: s(entry.type), entryId: s(entry.entryId), summary: s(entry.summary) },
    detail: s(encodeDetail(entry)),
  };
}

export function incidentAttributes(incident: Incident): Item {
  const item: Item = {};
  for (const field of FIELDS) {
    const value = incident[field];
    if (value !== undefined) item[field] = typeof value === 'number' ? n(value) : s(value);
  }
  if (incident.unpublished !== undefined && incident.unpublished.length > 0)
    item.unpublished = s(incident.unpublished.map(pendingText).join(','));
  if (incident.unpublishedMoves !== undefined && incident.unpublishedMoves.length > 0)
    item.unpublishedMoves = s(JSON.stringify(incident.unpublishedMoves));
  return item;
}

export const conflictError = (incident: Incident, expectedVersion: number) =>
  new IncidentConflictError(`incident ${incident.id} is no longer at version ${expectedVersion}`);
