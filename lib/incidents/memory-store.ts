import {
  checkSave,
  conflictError,
  decodeDetail,
  encodeDetail,
  entryKey,
  newer,
  orderKey,
  sameIncident,
} from './dynamo-items.js';
import type { Incident, TimelineEntry } from './model.js';
import type { IncidentStore } from './ports.js';

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
