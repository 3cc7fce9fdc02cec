import { createHash } from 'node:crypto';
import { worseSeverity } from '../domain/severity.js';
import type { Condition } from './condition.js';
import {
  INCIDENT_KINDS,
  type Incident,
  type IncidentChange,
  type IncidentKind,
  type TimelineEntry,
} from './model.js';

export type PendingEntry = Omit<TimelineEntry, 'incidentId'>;

export interface Observation {
  readonly subject: string;
  readonly eventId: string;
  /**
   * Several events that are one record (the pages of one AWS Health communication): a notice's id
   * comes from this key instead of the event id, and each later page adds its entries to that record.
   */
  readonly recordKey?: string;
  readonly condition: Condition;
  /** A record rather than an outage (a maintenance notice, a drill): opens and resolves at once. */
  readonly notice: boolean;
  /** The snapshot time (or the event time when nothing was observed). */
  readonly observedAt: string;
  /** When the trouble began, if the snapshot says (the earliest DOWN tunnel's LastStatusChange). */
  readonly failureStartedAt?: string;
  /** Traffic is on a healthy path after this observation (and its applied changes). */
  readonly mitigated: boolean;
  /** The signal, plan and action entries of this observation. */
  readonly entries: readonly PendingEntry[];
}

export interface Evolution {
  /** The incident to save, if it changed. */
  readonly incident?: Incident;
  readonly expectedVersion: number;
  readonly changes: readonly IncidentChange[];
  readonly entries: readonly TimelineEntry[];
}

const worseKind = (a: IncidentKind, b: IncidentKind): IncidentKind =>
  INCIDENT_KINDS.indexOf(a) <= INCIDENT_KINDS.indexOf(b) ? a : b;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

/** A notice's id depends on its event only, so a retried run computes the same one. */
function noticeId(obs: Observation): string {
  return `inc-${obs.subject.replace(/[^a-z0-9-]/gi, '-')}-${shortHash(obs.recordKey ?? obs.eventId)}`;
}

export function incidentId(subject: string, at: string): string {
  const stamp = at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `inc-${subject.replace(/[^a-z0-9-]/gi, '-')}-${stamp}`;
}

function stateEntry(id: string, obs: Observation, change: IncidentChange, summary: string): TimelineEntry {
  return {
    incidentId: id,
    at: obs.observedAt,
    type: 'state',
    entryId: `${obs.eventId}#state#${change}`,
    summary: `${change}: ${summary}`,
    detail: { change },
  };
}

function attach(id: string, entries: readonly PendingEntry[]): TimelineEntry[] {
  return entries.map((e) => ({ ...e, incidentId: id }));
}

/** The path a condition is on, as optional incident fields (exactOptionalPropertyTypes: no `undefined`). */
function pathOf(condition: Condition): { readonly path?: string } {
  return condition.healthy || condition.path === undefined ? {} : { path: condition.path };
}

/**
 * Whether a condition is a failure the incident is about: the same kind on the same path as the
 * failure it opened for, or as the worst it reached.
 */
function sameFailure(incident: Incident, condition: Condition): boolean {
  if (condition.healthy) return false;
  const worst = condition.kind === incident.kind && condition.path === incident.path;
  const opening =
    incident.openedKind !== undefined &&
    condition.kind === incident.openedKind &&
    condition.path === incident.openedPath;
  return worst || opening;
}

function resolve(incident: Incident, obs: Observation, summary: string): Incident {
  return {
    ...incident,
    status: 'resolved',
    severity: 'info',
    summary,
    resolvedAt: obs.observedAt,
    mitigatedAt: incident.mitigatedAt ?? obs.observedAt,
    lastObservedAt: obs.observedAt,
    version: incident.version + 1,
  };
}

/** An unhealthy condition: the failure an observation reports. */
type Failure = Extract<Condition, { readonly healthy: false }>;

/** An evolution that moves nothing: the incident (if any) stays as stored. */
function unchanged(current: Incident | undefined, entries: readonly TimelineEntry[] = []): Evolution {
  return { expectedVersion: current?.version ?? 0, changes: [], entries };
}

/**
 * How one observation moves a subject's incident. Pure: the caller reads the current incident,
 * saves the result with `expectedVersion`, and re-runs on a conflict.
 * - An observation older than the incident's last one adds its entries but moves nothing.
 * - Healthy: an open incident resolves; otherwise nothing is recorded.
 * - Not healthy: the open incident is updated (its kind only ever gets worse, and its path follows
 *   the worst kind); a resolved one reopens when the same failure (kind and path: the one it opened
 *   for, or the worst it reached) returns inside the relapse window; anything else opens a new
 *   incident — one tunnel of an idle backup going down after a primary outage resolved is a new,
 *   minor record, not that outage again.
 */
export function evolve(current: Incident | undefined, obs: Observation, relapseWindowMs: number): Evolution {
  const { condition } = obs;
  // A notice is one record per event: a retry of the same event finds it already there. Another page
  // of it adds its entries (ids are per event, so a retried page writes them once).
  if (obs.notice && current?.id === noticeId(obs))
    return unchanged(current, obs.recordKey === undefined ? [] : attach(current.id, obs.entries));
  if (current !== undefined && isOlder(obs, current)) return lateObservation(current, obs);
  const open = current?.status === 'open' ? current : undefined;
  if (condition.healthy)
    return open === undefined ? unchanged(current) : recovery(open, obs, condition.summary);
  if (open !== undefined) return progress(open, obs, condition);
  if (current !== undefined && isRelapse(current, obs, condition, relapseWindowMs))
    return relapse(current, obs, condition);
  return opening(obs, condition);
}

/** The observation was made before the one the incident last applied (events arrive out of order). */
function isOlder(obs: Observation, current: Incident): boolean {
  return Date.parse(obs.observedAt) < Date.parse(current.lastObservedAt);
}

/** A late observation still tells an open incident's story, but never moves the incident backwards. */
function lateObservation(current: Incident, obs: Observation): Evolution {
  return unchanged(current, current.status === 'open' ? attach(current.id, obs.entries) : []);
}

/** Healthy again: the open incident resolves. */
function recovery(open: Incident, obs: Observation, summary: string): Evolution {
  return {
    incident: resolve(open, obs, summary),
    expectedVersion: open.version,
    changes: ['resolved'],
    entries: [...attach(open.id, obs.entries), stateEntry(open.id, obs, 'resolved', summary)],
  };
}

/** When traffic was first back on a healthy path: the time already recorded, or this observation's. */
function mitigationTime(earlier: string | undefined, obs: Observation): string | undefined {
  return earlier ?? (obs.mitigated ? obs.observedAt : undefined);
}

/** Still in trouble: the open incident follows the failure (updated), or just notes the observation. */
function progress(open: Incident, obs: Observation, condition: Failure): Evolution {
  const entries = attach(open.id, obs.entries);
  const kind = worseKind(open.kind, condition.kind);
  const mitigatedAt = mitigationTime(open.mitigatedAt, obs);
  const material =
    kind !== open.kind ||
    condition.severity !== open.severity ||
    condition.summary !== open.summary ||
    mitigatedAt !== open.mitigatedAt;
  // Nothing material changed: the entries join the timeline and the observation time moves on
  // (so an older observation stays older), but no change is published.
  if (!material) {
    const incident = { ...open, lastObservedAt: obs.observedAt, version: open.version + 1 };
    return { incident, expectedVersion: open.version, changes: [], entries };
  }
  const incident = updated(open, obs, condition, kind, mitigatedAt);
  return { incident, expectedVersion: open.version, changes: ['updated'], entries };
}

/**
 * The open incident after a material change. A worse kind is a worse failure, and it says where it
 * is; otherwise the incident stays about the failure it had.
 */
function updated(
  open: Incident,
  obs: Observation,
  condition: Failure,
  kind: IncidentKind,
  mitigatedAt: string | undefined,
): Incident {
  const { path: _path, ...rest } = open;
  const where = kind === open.kind ? open : pathOf(condition);
  return {
    ...rest,
    ...(where.path === undefined ? {} : { path: where.path }),
    kind,
    severity: condition.severity,
    peakSeverity: worseSeverity(open.peakSeverity, condition.severity),
    summary: condition.summary,
    ...(mitigatedAt === undefined ? {} : { mitigatedAt }),
    lastObservedAt: obs.observedAt,
    version: open.version + 1,
  };
}

/**
 * The same failure back inside the relapse window after the incident resolved. A notice (a drill, a
 * maintenance record) is its own record: it never reopens an earlier one. A record that opened and
 * resolved at once (a notice) is never reopened by a real outage either.
 */
function isRelapse(
  resolved: Incident,
  obs: Observation,
  condition: Failure,
  relapseWindowMs: number,
): boolean {
  const { resolvedAt } = resolved;
  return (
    !obs.notice &&
    sameFailure(resolved, condition) &&
    resolvedAt !== resolved.detectedAt &&
    resolvedAt !== undefined &&
    Date.parse(obs.observedAt) - Date.parse(resolvedAt) < relapseWindowMs
  );
}

/** A relapse reopens the resolved incident, keeping its id, kind and path. */
function relapse(resolved: Incident, obs: Observation, condition: Failure): Evolution {
  const { resolvedAt: _resolved, ...rest } = resolved;
  const incident: Incident = {
    ...rest,
    status: 'open',
    severity: condition.severity,
    peakSeverity: worseSeverity(resolved.peakSeverity, condition.severity),
    summary: condition.summary,
    lastObservedAt: obs.observedAt,
    reopenCount: resolved.reopenCount + 1,
    version: resolved.version + 1,
  };
  return {
    incident,
    expectedVersion: resolved.version,
    changes: ['reopened'],
    entries: [
      ...attach(incident.id, obs.entries),
      stateEntry(incident.id, obs, 'reopened', condition.summary),
    ],
  };
}

/**
 * A new incident (a new item: nothing may be stored under its id yet, so it is saved at version 0).
 * A notice opens and resolves at once.
 */
function opening(obs: Observation, condition: Failure): Evolution {
  const incident = opened(obs, condition);
  const entries = [
    ...attach(incident.id, obs.entries),
    stateEntry(incident.id, obs, 'opened', condition.summary),
  ];
  if (!obs.notice) return { incident, expectedVersion: 0, changes: ['opened'], entries };
  const closed = resolve(incident, obs, condition.summary);
  return {
    incident: { ...closed, version: incident.version },
    expectedVersion: 0,
    changes: ['opened', 'resolved'],
    entries: [...entries, stateEntry(incident.id, obs, 'resolved', 'recorded')],
  };
}

/** The incident a failure opens: dated from when the trouble began, if the snapshot says so. */
function opened(obs: Observation, condition: Failure): Incident {
  const startedAt = [obs.failureStartedAt, obs.observedAt]
    .filter((t): t is string => t !== undefined)
    .reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
  const mitigatedAt = mitigationTime(undefined, obs);
  return {
    // Notices can come several a second for one subject; the event id keeps their ids apart.
    id: obs.notice ? noticeId(obs) : incidentId(obs.subject, obs.observedAt),
    subject: obs.subject,
    kind: condition.kind,
    severity: condition.severity,
    peakSeverity: condition.severity,
    status: 'open',
    summary: condition.summary,
    ...pathOf(condition),
    openedKind: condition.kind,
    ...(condition.path === undefined ? {} : { openedPath: condition.path }),
    startedAt,
    detectedAt: obs.observedAt,
    ...(mitigatedAt === undefined ? {} : { mitigatedAt }),
    lastObservedAt: obs.observedAt,
    reopenCount: 0,
    version: 1,
  };
}
