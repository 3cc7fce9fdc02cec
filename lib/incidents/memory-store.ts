import {
  checkSave,
  conflictError,
  decodeDetail,
  encodeDetail,
  entryKey,
  orderKey,
  sameIncident,
} from './dynamo-items.js';
import type { Incident, IncidentStatus, TimelineEntry } from './model.js';
import type { IncidentStore } from './ports.js';

/** The same contract in memory, for the CLI demo and pure tests: same keys, order, dedupe and truncation. */
export class InMemoryIncidentStore implements IncidentStore {
  private readonly incidents = new Map<string, Incident>();
  /** Per subject, its current incident: the record every save decides on, as in the table. */
  private readonly pointers = new Map<string, Incident>();
  /** Per incident, entries by the DynamoDB sort key, so that dedupe and order match the table's. */
  private readonly entries = new Map<string, Map<string, TimelineEntry>>();

  public async current(subject: string): Promise<Incident | undefined> {
    const pointer = this.pointers.get(subject);
    return pointer === undefined ? undefined : { ...pointer };
  }

  public async get(id: string): Promise<Incident | undefined> {
    const incident = this.incidents.get(id);
    return incident === undefined ? undefined : { ...incident };
  }

  public async save(incident: Incident, expectedVersion: number): Promise<void> {
    checkSave(incident, expectedVersion);
    const pointer = this.pointers.get(incident.subject);
    const allowed =
      expectedVersion === 0
        ? pointer === undefined || pointer.status === 'resolved'
        : pointer?.id === incident.id && pointer.version === expectedVersion;
    if (!allowed && !(pointer !== undefined && sameIncident(pointer, incident)))
      throw conflictError(incident, expectedVersion);
    this.pointers.set(incident.subject, { ...incident });
    this.incidents.set(incident.id, { ...incident });
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

  public async list(options: { status?: IncidentStatus; limit: number }): Promise<Incident[]> {
    const { status, limit } = options;
    return [...this.incidents.values()]
      .filter((incident) => status === undefined || incident.status === status)
      .map((incident) => ({ incident, order: orderKey(incident) }))
      .sort((a, b) => (a.order < b.order ? 1 : a.order > b.order ? -1 : 0))
      .slice(0, Math.max(0, limit))
      .map(({ incident }) => ({ ...incident }));
  }
}
