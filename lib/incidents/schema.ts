/**
 * The published incident event, schema version 1.0: what other teams' rules and consumers may rely on.
 * Additive changes (a new optional field) keep 1.x; anything else is a new major version. Consumers
 * dedupe on `changeId`, since EventBridge delivers at least once.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { SEVERITIES } from '../domain/severity.js';
import { firstIssue } from '../events/zod-issues.js';
import { PublishError } from './errors.js';
import {
  changeIdOf,
  INCIDENT_CHANGES,
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  type IncidentChange,
  incidentDurations,
  TIMELINE_ENTRY_TYPES,
} from './model.js';
import type { IncidentEvent } from './ports.js';
import { redact } from './redact.js';

export const INCIDENT_SOURCE = 'tunnel-warden';
export const INCIDENT_SCHEMA_VERSION = '1.0';
export const INCIDENT_DETAIL_TYPES = ['Incident Opened', 'Incident Updated', 'Incident Resolved'] as const;
export type IncidentDetailType = (typeof INCIDENT_DETAIL_TYPES)[number];

/** A reopen is an "Incident Opened" for rules (it pages again); `change` tells the two apart. */
export const DETAIL_TYPE_OF_CHANGE: Readonly<Record<IncidentChange, IncidentDetailType>> = {
  opened: 'Incident Opened',
  reopened: 'Incident Opened',
  updated: 'Incident Updated',
  resolved: 'Incident Resolved',
};

/** At most this many timeline entries ride along; the full timeline is in the store (CLI). */
export const MAX_LATEST_ENTRIES = 10;

// Offsets allowed: startedAt comes from AWS's LastStatusChange, which is not always in `Z` form.
const timestamp = z.iso.datetime({ offset: true });
const seconds = z.number().int().nonnegative();

export const IncidentChangeSchema = z.enum(INCIDENT_CHANGES);

export const IncidentDurationsSchema = z.object({
  ttd: seconds,
  ttm: seconds.optional(),
  ttr: seconds.optional(),
});

export const PublishedIncidentSchema = z.object({
  id: z.string().min(1),
  subject: z.string().min(1),
  kind: z.enum(INCIDENT_KINDS),
  severity: z.enum(SEVERITIES),
  peakSeverity: z.enum(SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  summary: z.string(),
  /** The site path the failure is on (added in 1.0, optional: absent for site-wide trouble). */
  path: z.string().min(1).optional(),
  startedAt: timestamp,
  detectedAt: timestamp,
  mitigatedAt: timestamp.optional(),
  resolvedAt: timestamp.optional(),
  durations: IncidentDurationsSchema,
  reopenCount: z.number().int().nonnegative(),
});

export const LatestEntrySchema = z.object({
  at: timestamp,
  type: z.enum(TIMELINE_ENTRY_TYPES),
  summary: z.string(),
});

/**
 * The event's `detail`. z.object strips unknown keys, so parsing is also a whitelist: a field added to
 * Incident (lastObservedAt, version) is never published by accident.
 */
export const IncidentEventDetailSchema = z
  .object({
    schemaVersion: z.literal(INCIDENT_SCHEMA_VERSION),
    change: IncidentChangeSchema,
    incident: PublishedIncidentSchema,
    latest: z.array(LatestEntrySchema).max(MAX_LATEST_ENTRIES),
    changeId: z.string().regex(new RegExp(`^.+#v[1-9]\\d*#(${INCIDENT_CHANGES.join('|')})$`)),
  })
  .refine((d) => d.changeId.startsWith(`${d.incident.id}#v`), {
    path: ['changeId'],
    message: 'changeId must be <incident id>#v<version>#<change>',
  });

/** The whole event as a consumer receives it; other envelope fields (id, time, account…) are stripped. */
export const IncidentEventSchema = z
  .object({
    source: z.literal(INCIDENT_SOURCE),
    'detail-type': z.enum(INCIDENT_DETAIL_TYPES),
    detail: IncidentEventDetailSchema,
  })
  .refine((e) => e['detail-type'] === DETAIL_TYPE_OF_CHANGE[e.detail.change], {
    path: ['detail-type'],
    message: 'detail-type does not match detail.change',
  });

export type IncidentDurations = z.infer<typeof IncidentDurationsSchema>;
export type PublishedIncident = z.infer<typeof PublishedIncidentSchema>;
export type LatestEntry = z.infer<typeof LatestEntrySchema>;
export type IncidentEventDetail = z.infer<typeof IncidentEventDetailSchema>;
export type PublishedIncidentEvent = z.infer<typeof IncidentEventSchema>;

/** The detail for one change, redacted and validated; throws PublishError when it breaks the schema. */
export function incidentEventDetail(event: IncidentEvent): IncidentEventDetail {
  const { incident, change } = event;
  const draft = {
    schemaVersion: INCIDENT_SCHEMA_VERSION,
    change,
    incident: {
      id: incident.id,
      subject: incident.subject,
      kind: incident.kind,
      severity: incident.severity,
      peakSeverity: incident.peakSeverity,
      status: incident.status,
      summary: incident.summary,
      ...(incident.path === undefined ? {} : { path: incident.path }),
      startedAt: incident.startedAt,
      detectedAt: incident.detectedAt,
      ...(incident.mitigatedAt === undefined ? {} : { mitigatedAt: incident.mitigatedAt }),
      ...(incident.resolvedAt === undefined ? {} : { resolvedAt: incident.resolvedAt }),
      durations: incidentDurations(incident),
      reopenCount: incident.reopenCount,
    },
    // Keep the newest when a change added more than fit; a stable sort keeps same-time entries in order.
    latest: [...event.entries]
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .slice(-MAX_LATEST_ENTRIES)
      .map(({ at, type, summary }) => ({ at, type, summary })),
    // The change is part of the id: an incident that opens and resolves in one write has one version.
    changeId: changeIdOf(incident.id, event.changeVersion ?? incident.version, event.change),
  };
  const parsed = IncidentEventDetailSchema.safeParse(redact(draft));
  if (parsed.success) return parsed.data;
  const { path, problem } = firstIssue(parsed.error);
  throw new PublishError(
    `incident ${incident.id} breaks event schema ${INCIDENT_SCHEMA_VERSION} at ${path}: ${problem}`,
    {
      codes: ['SchemaViolation'],
      cause: parsed.error,
    },
  );
}

/** The PutEvents entry for one change. `Time` is when the change happened, not when it was published. */
export function incidentEventEntry(event: IncidentEvent, busName: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: INCIDENT_SOURCE,
    DetailType: DETAIL_TYPE_OF_CHANGE[event.change],
    Detail: JSON.stringify(incidentEventDetail(event)),
    Resources: [],
    Time: new Date(changeTime(event)),
  };
}

/** The newest entry's time (entries may arrive unsorted across writers), else the incident's last observation. */
export function changeTime(event: IncidentEvent): string {
  return event.entries.reduce(
    (newest, entry) => (Date.parse(entry.at) > Date.parse(newest) ? entry.at : newest),
    event.entries[0]?.at ?? event.incident.lastObservedAt,
  );
}
