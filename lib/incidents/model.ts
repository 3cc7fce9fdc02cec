import type { Severity } from '../domain/severity.js';
import type { RouteMovedDetail } from './route-moved.js';

/** What went wrong, from the worst to the mildest; an incident keeps the worst kind it has seen. */
export const INCIDENT_KINDS = [
  'site-unreachable',
  'connection-down',
  'gray-failure',
  'flapping',
  'redundancy-lost',
  'maintenance',
  'config-drift',
  'drill',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const INCIDENT_STATUSES = ['open', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface Incident {
  /** `inc-<site>-<yyyymmddThhmmss>`: readable, sortable, unique per site and second. */
  readonly id: string;
  /** The site, or `vpn:<id>` for a connection that belongs to no configured site. */
  readonly subject: string;
  readonly kind: IncidentKind;
  readonly severity: Severity;
  /** The worst severity the incident has reached. */
  readonly peakSeverity: Severity;
  readonly status: IncidentStatus;
  readonly summary: string;
  /**
   * The site path the worst failure is on, with `kind` naming it. Absent for site-wide trouble, for
   * subjects without paths, and in incidents stored before it existed.
   */
  readonly path?: string;
  /**
   * The failure the incident opened for (its kind, and its path if any). A resolved incident reopens
   * only when this failure or the worst one (`kind`, `path`) returns: tunnels often fail one at a
   * time, so an outage that opened as one tunnel of the primary down and grew into the primary down
   * relapses either way. Absent in incidents stored before it existed.
   */
  readonly openedKind?: IncidentKind;
  readonly openedPath?: string;
  /** When the failure began, from the tunnels' LastStatusChange (or the first signal). ISO 8601. */
  readonly startedAt: string;
  /** When tunnel-warden opened the incident. */
  readonly detectedAt: string;
  /** When traffic was first back on a healthy path. */
  readonly mitigatedAt?: string;
  readonly resolvedAt?: string;
  /** The newest observation applied: an older one never moves the incident backwards. */
  readonly lastObservedAt: string;
  readonly reopenCount: number;
  /** Optimistic concurrency. */
  readonly version: number;
  /**
   * The outbox: changes saved but not yet delivered on every channel. Saved with the change itself and
   * trimmed after each delivery, so a run that dies between the two, or a channel that fails, leaves
   * exactly what is owed for the next run.
   */
  readonly unpublished?: readonly PendingChange[];
  /**
   * The Route Moved events the incident still owes on EventBridge (lib/incidents/route-moved.ts):
   * saved with the incident in the same write as the moves' record, cleared once published.
   */
  readonly unpublishedMoves?: readonly RouteMovedDetail[];
}

/**
 * Where a change goes: an EventBridge event (the record machines act on) and an SNS message (the page
 * people read). Each is delivered, and retried, on its own: a broken topic never holds back the events.
 */
export const DELIVERY_CHANNELS = ['eventbridge', 'sns'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** A change in the outbox, with the version it was saved at: its `changeId` never changes. */
export interface PendingChange {
  readonly change: IncidentChange;
  readonly version: number;
  /**
   * The channels it is still owed on, once a delivery was tried. Absent: not tried yet (or stored
   * before channels were tracked), so owed on every channel the publisher uses for it.
   */
  readonly owed?: readonly DeliveryChannel[];
  /**
   * The incident the change belongs to, when it is not the one holding the outbox: what a superseded
   * incident still owed when a new incident took its subject is carried here, so it is not lost.
   */
  readonly incidentId?: string;
}

/** The id consumers deduplicate on: the incident, the version the change was saved at, the change. */
export function changeIdOf(incidentId: string, version: number, change: IncidentChange): string {
  return `${incidentId}#v${version}#${change}`;
}

export const TIMELINE_ENTRY_TYPES = ['signal', 'plan', 'action', 'state', 'note'] as const;
export type TimelineEntryType = (typeof TIMELINE_ENTRY_TYPES)[number];

export interface TimelineEntry {
  readonly incidentId: string;
  /** When it happened (ISO 8601); entries sort by it. */
  readonly at: string;
  readonly type: TimelineEntryType;
  /** Deterministic per event and entry, so a redelivered event writes nothing twice. */
  readonly entryId: string;
  readonly summary: string;
  /** Redacted structured detail (a Signal, a Plan, an ActionResult, …). */
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Time to detect, mitigate and resolve, in seconds from `startedAt`. */
export function incidentDurations(incident: Incident): { ttd: number; ttm?: number; ttr?: number } {
  const start = Date.parse(incident.startedAt);
  const seconds = (iso: string) => Math.max(0, Math.round((Date.parse(iso) - start) / 1000));
  return {
    ttd: seconds(incident.detectedAt),
    ...(incident.mitigatedAt === undefined ? {} : { ttm: seconds(incident.mitigatedAt) }),
    ...(incident.resolvedAt === undefined ? {} : { ttr: seconds(incident.resolvedAt) }),
  };
}

/** What happened to an incident, as published (`change`) and as kept in its outbox. */
export const INCIDENT_CHANGES = ['opened', 'reopened', 'updated', 'resolved'] as const;
export type IncidentChange = (typeof INCIDENT_CHANGES)[number];
