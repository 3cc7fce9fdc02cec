import type { DeliveryChannel, Incident, IncidentChange, IncidentStatus, TimelineEntry } from './model.js';
import type { RouteMovedDetail } from './route-moved.js';

/**
 * The incident store. Every write is conditional: `save` succeeds only when the stored version is
 * `expectedVersion` (0 = absent), so two writers cannot both move an incident.
 */
export interface IncidentStore {
  /** The subject's current incident (open, or the last resolved one), if any. */
  current(subject: string): Promise<Incident | undefined>;
  get(id: string): Promise<Incident | undefined>;
  /** Writes the incident (and the subject's pointer to it) if the stored version is `expectedVersion`; else IncidentConflictError. */
  save(incident: Incident, expectedVersion: number): Promise<void>;
  /** Appends entries; an entry whose entryId is already stored is skipped (returns how many were new). */
  append(entries: readonly TimelineEntry[]): Promise<number>;
  timeline(id: string): Promise<TimelineEntry[]>;
  /** Newest first, optionally only open ones. */
  list(options: { status?: IncidentStatus; limit: number }): Promise<Incident[]>;
}

export interface IncidentEvent {
  readonly change: IncidentChange;
  readonly incident: Incident;
  /** The entries this change added, newest last. */
  readonly entries: readonly TimelineEntry[];
  /** An update that made the incident more severe than it was: people are paged for it. */
  readonly escalated?: boolean;
  /** The version the change was saved at (default: the incident's version). */
  readonly changeVersion?: number;
}

/**
 * Tells the world: an EventBridge event per change and a short SNS message for people, one channel
 * at a time, so that the caller can track and retry each channel on its own.
 */
export interface IncidentPublisher {
  /** The channels this change goes out on: e.g. no SNS for an update that pages nobody, or without a topic. */
  channelsFor(event: IncidentEvent): readonly DeliveryChannel[];
  /** Delivers the change on one channel; a failure throws (a PublishError) and touches no other channel. */
  deliver(event: IncidentEvent, channel: DeliveryChannel): Promise<void>;
  /**
   * Publishes Route Moved events on EventBridge, all or nothing from the caller's view (a failure
   * throws and every one stays owed: consumers dedupe on `moveId`). Absent: the moves stay owed.
   */
  deliverMoves?(moves: readonly RouteMovedDetail[]): Promise<void>;
}
