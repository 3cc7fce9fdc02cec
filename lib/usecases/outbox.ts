/**
 * Delivering an incident's outbox, channel by channel. EventBridge and SNS are tracked apart: a change
 * delivered on one channel is never sent there again because the other failed, and a channel that is
 * down (an SNS topic whose KMS key was disabled) holds back only itself.
 */

import { type Severity, severityRank } from '../domain/severity.js';
import { IncidentConflictError } from '../incidents/errors.js';
import { changeIdOf, type DeliveryChannel, type Incident, type PendingChange } from '../incidents/model.js';
import type { IncidentEvent } from '../incidents/ports.js';
import type { RouteMovedDetail } from '../incidents/route-moved.js';
import type { DeliveryFailure, RecordDeps } from './ports.js';

export interface Delivered {
  /** The changes that went out on EventBridge in this run (the record of the change). */
  readonly events: IncidentEvent[];
  readonly failures: DeliveryFailure[];
  /** What the outbox still owes after this run (saved with the incident). */
  readonly left: PendingChange[];
  /** The Route Moved events still owed after this run (saved with the incident). */
  readonly movesLeft: RouteMovedDetail[];
}

export function withOutbox(incident: Incident, unpublished: readonly PendingChange[]): Incident {
  const { unpublished: _old, ...rest } = incident;
  return unpublished.length === 0 ? rest : { ...rest, unpublished };
}

/** The incident owing exactly these Route Moved events. */
export function withMovesOwed(incident: Incident, moves: readonly RouteMovedDetail[]): Incident {
  const { unpublishedMoves: _old, ...rest } = incident;
  return moves.length === 0 ? rest : { ...rest, unpublishedMoves: moves };
}

const sameOutbox = (a: readonly PendingChange[], b: readonly PendingChange[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Delivers what the outbox owes, then saves what is still owed (nothing: the outbox is cleared).
 * Each change keeps the version it was saved at, so a change delivered again after a crash has the
 * same changeId and consumers drop the copy. Channels in `stuck` failed earlier in this run: they are
 * not tried again for later changes, so each channel still delivers in order (no "Resolved" page
 * before its "Opened" page) and a dead channel costs one failed call per run, not one per change.
 * A conflict on the saving write means another run moved the incident since; it read the outbox too
 * and delivers what is left.
 */
export async function deliverOutbox(
  incident: Incident,
  entries: IncidentEvent['entries'],
  previous: Severity | undefined,
  deps: RecordDeps,
  stuck: Set<DeliveryChannel>,
): Promise<Delivered> {
  const pending = incident.unpublished ?? [];
  const moves = incident.unpublishedMoves ?? [];
  const left: PendingChange[] = [];
  const delivered: Delivered = { events: [], failures: [], left, movesLeft: [] };
  if (pending.length === 0 && moves.length === 0) return delivered;
  // The moves first: they happened before the incident changes that report them.
  delivered.movesLeft.push(...(await deliverMoves(moves, deps, { stuck, delivered })));
  const escalated = previous !== undefined && severityRank(incident.severity) > severityRank(previous);
  const earlier = new Map<string, Incident | undefined>();
  for (const pendingChange of pending) {
    const event = await eventFor(pendingChange, { incident, entries, escalated, earlier, deps });
    // Expired (TTL) before it could be delivered: there is nothing left to describe it with.
    if (event === undefined) continue;
    const { change, version, owed } = pendingChange;
    // Once a delivery was tried, the outbox says which channels are left; before, the publisher decides.
    const channels = owed ?? deps.publisher.channelsFor(event);
    const changeId = changeIdOf(event.incident.id, version, change);
    const still = await deliverOnChannels(event, channels, changeId, deps, { stuck, delivered });
    if (still.length > 0) left.push({ ...pendingChange, owed: still });
  }
  if (!sameOutbox(left, pending) || delivered.movesLeft.length !== moves.length)
    await saveOutbox(withMovesOwed(incident, delivered.movesLeft), left, deps);
  return delivered;
}

/** What the events of one outbox are made from. */
interface OutboxSource {
  readonly incident: Incident;
  readonly entries: IncidentEvent['entries'];
  /** This run raised the incident's severity: an update says so. */
  readonly escalated: boolean;
  /** Superseded incidents read back so far, by id (undefined: expired). */
  readonly earlier: Map<string, Incident | undefined>;
  readonly deps: RecordDeps;
}

/**
 * The event of one owed change. A superseded incident's leftover is delivered as that incident, read
 * back from the store (undefined when it expired).
 */
async function eventFor(pending: PendingChange, source: OutboxSource): Promise<IncidentEvent | undefined> {
  const { incident, earlier } = source;
  const { change, version, incidentId } = pending;
  const foreign = incidentId !== undefined && incidentId !== incident.id;
  if (foreign && !earlier.has(incidentId)) earlier.set(incidentId, await source.deps.store.get(incidentId));
  const subject = foreign ? earlier.get(incidentId) : incident;
  if (subject === undefined) return undefined;
  return {
    change,
    changeVersion: version,
    incident: withMovesOwed(withOutbox(subject, []), []),
    entries: foreign ? [] : source.entries,
    ...(!foreign && change === 'updated' && source.escalated ? { escalated: true } : {}),
  };
}

/** What delivering one run's outboxes keeps track of: the failed channels, and what went out or failed. */
interface DeliveryState {
  readonly stuck: Set<DeliveryChannel>;
  readonly delivered: Delivered;
}

/** Delivers one change on each channel it is owed on; returns the channels it is still owed on. */
async function deliverOnChannels(
  event: IncidentEvent,
  channels: readonly DeliveryChannel[],
  changeId: string,
  deps: RecordDeps,
  { stuck, delivered }: DeliveryState,
): Promise<DeliveryChannel[]> {
  const still: DeliveryChannel[] = [];
  for (const channel of channels) {
    if (stuck.has(channel)) {
      still.push(channel);
      continue;
    }
    try {
      await deps.publisher.deliver(event, channel);
    } catch (error) {
      stuck.add(channel);
      still.push(channel);
      const failure = { channel, changeId, error };
      delivered.failures.push(failure);
      deps.onDeliveryFailure?.(failure);
      continue;
    }
    if (channel === 'eventbridge') {
      delivered.events.push(event);
      deps.onChange?.(event);
    }
  }
  return still;
}

/**
 * Publishes the Route Moved events on EventBridge; returns those still owed. A publisher that cannot
 * publish them (a test double without `deliverMoves`) keeps them owed rather than dropping them.
 */
async function deliverMoves(
  moves: readonly RouteMovedDetail[],
  deps: RecordDeps,
  { stuck, delivered }: DeliveryState,
): Promise<RouteMovedDetail[]> {
  const first = moves[0];
  if (first === undefined) return [];
  if (stuck.has('eventbridge') || deps.publisher.deliverMoves === undefined) return [...moves];
  try {
    await deps.publisher.deliverMoves(moves);
  } catch (error) {
    stuck.add('eventbridge');
    const failure = { channel: 'eventbridge' as const, changeId: first.moveId, error };
    delivered.failures.push(failure);
    deps.onDeliveryFailure?.(failure);
    return [...moves];
  }
  return [];
}

/** Saves what the outbox still owes; a conflict means another run moved the incident and delivers it. */
async function saveOutbox(
  incident: Incident,
  left: readonly PendingChange[],
  deps: RecordDeps,
): Promise<void> {
  try {
    await deps.store.save({ ...withOutbox(incident, left), version: incident.version + 1 }, incident.version);
  } catch (error) {
    if (!(error instanceof IncidentConflictError)) throw error;
  }
}
