/**
 * Delivering an incident's outbox, channel by channel. EventBridge and SNS are tracked apart: a change
 * delivered on one channel is never sent there again because the other failed, and a channel that is
 * down (an SNS topic whose KMS key was disabled) holds back only itself.
 */

import { type Severity, severityRank } from '../domain/severity.js';
import { IncidentConflictError } from '../incidents/errors.js';
import { changeIdOf, type DeliveryChannel, type Incident, type PendingChange } from '../incidents/model.js';
import type { IncidentEvent } from '../incidents/ports.js';
import type { RecordDeps } from './record.js';

/** One delivery that failed: the change stays owed on that channel in the incident's outbox. */
export interface DeliveryFailure {
  readonly channel: DeliveryChannel;
  readonly changeId: string;
  readonly error: unknown;
}

export interface Delivered {
  /** The changes that went out on EventBridge in this run (the record of the change). */
  readonly events: IncidentEvent[];
  readonly failures: DeliveryFailure[];
  /** What the outbox still owes after this run (saved with the incident). */
  readonly left: PendingChange[];
}

export function withOutbox(incident: Incident, unpublished: readonly PendingChange[]): Incident {
  const { unpublished: _old, ...rest } = incident;
  return unpublished.length === 0 ? rest : { ...rest, unpublished };
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
  const left: PendingChange[] = [];
  const delivered: Delivered = { events: [], failures: [], left };
  if (pending.length === 0) return delivered;
  const escalated = previous !== undefined && severityRank(incident.severity) > severityRank(previous);
  const earlier = new Map<string, Incident | undefined>();
  for (const pendingChange of pending) {
    const { change, version, owed, incidentId } = pendingChange;
    // A superseded incident's leftover is delivered as that incident, read back from the store.
    const foreign = incidentId !== undefined && incidentId !== incident.id;
    if (foreign && !earlier.has(incidentId)) earlier.set(incidentId, await deps.store.get(incidentId));
    const subject = foreign ? earlier.get(incidentId) : incident;
    // Expired (TTL) before it could be delivered: there is nothing left to describe it with.
    if (subject === undefined) continue;
    const event: IncidentEvent = {
      change,
      changeVersion: version,
      incident: withOutbox(subject, []),
      entries: foreign ? [] : entries,
      ...(!foreign && change === 'updated' && escalated ? { escalated } : {}),
    };
    // Once a delivery was tried, the outbox says which channels are left; before, the publisher decides.
    const channels = owed ?? deps.publisher.channelsFor(event);
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
        const failure = { channel, changeId: changeIdOf(subject.id, version, change), error };
        delivered.failures.push(failure);
        deps.onDeliveryFailure?.(failure);
        continue;
      }
      if (channel === 'eventbridge') {
        delivered.events.push(event);
        deps.onChange?.(event);
      }
    }
    if (still.length > 0) left.push({ ...pendingChange, owed: still });
  }
  if (!sameOutbox(left, pending)) {
    try {
      await deps.store.save(
        { ...withOutbox(incident, left), version: incident.version + 1 },
        incident.version,
      );
    } catch (error) {
      if (!(error instanceof IncidentConflictError)) throw error;
    }
  }
  return delivered;
}
