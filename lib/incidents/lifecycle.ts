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
  return `inc-${obs.subject.replace(/[^a-z0-9-]/gi, '-')}-${shortHash(obs.eventId)}`;
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
  const expectedVersion = current?.version ?? 0;
  const { condition } = obs;
  // A notice is one record per event: a retry of the same event finds it already there.
  if (obs.notice && current?.id === noticeId(obs)) return { expectedVersion, changes: [], entries: [] };
  if (current !== undefined && Date.parse(obs.observedAt) < Date.parse(current.lastObservedAt)) {
    return {
      expectedVersion,
      changes: [],
      entries: current.status === 'open' ? attach(current.id, obs.entries) : [],
    };
  }
  if (condition.healthy) {
    if (current?.status !== 'open') return { expectedVersion, changes: [], entries: [] };
    const incident = resolve(current, obs, condition.summary);
    return {
      incident,
      expectedVersion,
      changes: ['resolved'],
      entries: [
        ...attach(current.id, obs.entries),
        stateEntry(current.id, obs, 'resolved', condition.summary),
      ],
    };
  }
  const mitigatedAt = (i: Incident | undefined) =>
    i?.mitigatedAt ?? (obs.mitigated ? obs.observedAt : undefined);
  if (current?.status === 'open') {
    const m = mitigatedAt(current);
    const kind = worseKind(current.kind, condition.kind);
    const same =
      kind === current.kind &&
      condition.severity === current.severity &&
      condition.summary === current.summary &&
      m === current.mitigatedAt;
    // Nothing material changed: the entries join the timeline and the observation time moves on
    // (so an older observation stays older), but no change is published.
    if (same) {
      const incident = { ...current, lastObservedAt: obs.observedAt, version: current.version + 1 };
      return { incident, expectedVersion, changes: [], entries: attach(current.id, obs.entries) };
    }
    // A worse kind is a worse failure, and it says where it is; otherwise the incident stays about
    // the failure it had.
    const { path: _path, ...rest } = current;
    const where = kind === current.kind ? current : pathOf(condition);
    const incident: Incident = {
      ...rest,
      ...(where.path === undefined ? {} : { path: where.path }),
      kind,
      severity: condition.severity,
      peakSeverity: worseSeverity(current.peakSeverity, condition.severity),
      summary: condition.summary,
      ...(m === undefined ? {} : { mitigatedAt: m }),
      lastObservedAt: obs.observedAt,
      version: current.version + 1,
    };
    return { incident, expectedVersion, changes: ['updated'], entries: attach(current.id, obs.entries) };
  }
  // A notice (a drill, a maintenance record) is its own record: it never reopens an earlier one.
  // A record that opened and resolved at once (a notice) is never reopened by a real outage either.
  const relapse =
    !obs.notice &&
    current !== undefined &&
    sameFailure(current, condition) &&
    current.resolvedAt !== current.detectedAt &&
    current.resolvedAt !== undefined &&
    Date.parse(obs.observedAt) - Date.parse(current.resolvedAt) < relapseWindowMs;
  let incident: Incident;
  let change: IncidentChange;
  if (relapse && current !== undefined) {
    const { resolvedAt: _resolved, ...rest } = current;
    incident = {
      ...rest,
      status: 'open',
      severity: condition.severity,
      peakSeverity: worseSeverity(current.peakSeverity, condition.severity),
      summary: condition.summary,
      lastObservedAt: obs.observedAt,
      reopenCount: current.reopenCount + 1,
      version: current.version + 1,
    };
    change = 'reopened';
  } else {
    const startedAt = [obs.failureStartedAt, obs.observedAt]
      .filter((t): t is string => t !== undefined)
      .reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
    const m = mitigatedAt(undefined);
    incident = {
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
      ...(m === undefined ? {} : { mitigatedAt: m }),
      lastObservedAt: obs.observedAt,
      reopenCount: 0,
      version: 1,
    };
    change = 'opened';
  }
  // A new incident is a new item: nothing may be stored under its id yet.
  const expected = change === 'opened' ? 0 : expectedVersion;
  const entries = [
    ...attach(incident.id, obs.entries),
    stateEntry(incident.id, obs, change, condition.summary),
  ];
  if (!obs.notice) return { incident, expectedVersion: expected, changes: [change], entries };
  const closed = resolve(incident, obs, condition.summary);
  return {
    incident: { ...closed, version: incident.version },
    expectedVersion: expected,
    changes: [change, 'resolved'],
    entries: [...entries, stateEntry(incident.id, obs, 'resolved', 'recorded')],
  };
}
