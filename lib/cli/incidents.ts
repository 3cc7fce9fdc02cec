/**
 * `tunnel-warden incidents list|show`: the incident store for people at a terminal. Read-only, so it is
 * safe to point at the real table; rendering is pure so that tests can pin the exact text.
 */
import { TunnelWardenError } from '../errors.js';
import { type Incident, incidentDurations, type TimelineEntry } from '../incidents/model.js';
import type { IncidentStore } from '../incidents/ports.js';
import { UsageError } from './errors.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1_000;

/** The id is well-formed but the table does not hold it: an answer (exit 1), not a usage mistake. */
export class IncidentNotFoundError extends TunnelWardenError {}

export interface IncidentsOptions {
  json: boolean;
  /** Named in "not found" messages, so a wrong table or account is obvious. */
  table?: string;
}

/** 2m10s, 1h5m, 3d4h: the two largest units are all a reader needs from a TTD/TTM/TTR. */
export function humanDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const units: [number, string][] = [
    [Math.floor(total / 86_400), 'd'],
    [Math.floor((total % 86_400) / 3_600), 'h'],
    [Math.floor((total % 3_600) / 60), 'm'],
    [total % 60, 's'],
  ];
  const first = units.findIndex(([value]) => value > 0);
  if (first === -1) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([value], i) => i === 0 || value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join('');
}

/** UTC, to the second; an unparsable time is shown as stored rather than hidden. */
function clock(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function columns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c]?.length ?? 0)));
  // The last column is not padded: trailing blanks only get in the way of copy and paste.
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ');
  return [header, ...rows].map(line).join('\n');
}

export function formatIncidentList(incidents: readonly Incident[], status?: Incident['status']): string {
  if (incidents.length === 0) return `no ${status === undefined ? '' : `${status} `}incidents`;
  const rows = incidents.map((incident) => {
    const { ttd, ttm, ttr } = incidentDurations(incident);
    const show = (value: number | undefined) => (value === undefined ? '-' : humanDuration(value));
    return [
      ...[incident.id, incident.subject, incident.kind, incident.severity, incident.status],
      ...[clock(incident.startedAt), show(ttd), show(ttm), show(ttr)],
    ];
  });
  const header = ['ID', 'SUBJECT', 'KIND', 'SEVERITY', 'STATUS', 'STARTED', 'TTD', 'TTM', 'TTR'];
  return columns(header, rows);
}

export function formatIncident(incident: Incident, timeline: readonly TimelineEntry[]): string {
  const { ttd, ttm, ttr } = incidentDurations(incident);
  const when = (iso: string | undefined, label: string, seconds: number | undefined) =>
    iso === undefined
      ? '-'
      : `${clock(iso)}${seconds === undefined ? '' : `  ${label} ${humanDuration(seconds)}`}`;
  const fields: [string, string][] = [
    ['id', incident.id],
    ['subject', incident.subject],
    ['status', incident.status],
    ['kind', incident.kind],
    ['severity', `${incident.severity} (peak ${incident.peakSeverity})`],
    ['summary', incident.summary],
    ['started', clock(incident.startedAt)],
    ['detected', when(incident.detectedAt, 'TTD', ttd)],
    ['mitigated', when(incident.mitigatedAt, 'TTM', ttm)],
    ['resolved', when(incident.resolvedAt, 'TTR', ttr)],
    ['last observed', clock(incident.lastObservedAt)],
    ['reopened', `${incident.reopenCount} time${incident.reopenCount === 1 ? '' : 's'}`],
    ['version', String(incident.version)],
  ];
  const header = fields.map(([label, value]) => `${label.padEnd(15)}${value}`);
  // Entries show only the time of day, so a line with the date marks each new UTC day.
  const lines: string[] = [];
  let day = clock(incident.startedAt).slice(0, 10);
  for (const entry of timeline) {
    const at = clock(entry.at);
    if (at.slice(0, 10) !== day) lines.push(at.slice(0, 10));
    day = at.slice(0, 10);
    lines.push(`${at.slice(11, 19)}  ${entry.type.padEnd(6)}  ${entry.summary}`);
  }
  const title = `timeline (${timeline.length} ${timeline.length === 1 ? 'entry' : 'entries'})`;
  return [...header, '', title, ...(lines.length === 0 ? ['(none)'] : lines)].join('\n');
}

/** `--limit`: a whole number, so `ten`, `2.5` and `0` are usage mistakes rather than surprises. */
export function parseLimit(raw: string): number {
  const limit = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT))
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, got "${raw}"`);
  return limit;
}

export interface ListOptions {
  readonly status?: Incident['status'];
  readonly limit?: number;
}

/** `tunnel-warden incidents list`: the most recent incidents, newest first. */
export async function listIncidents(
  store: IncidentStore,
  list: ListOptions,
  options: IncidentsOptions,
): Promise<string> {
  const { status } = list;
  const incidents = await store.list({
    limit: list.limit ?? DEFAULT_LIMIT,
    ...(status === undefined ? {} : { status }),
  });
  return options.json ? JSON.stringify(incidents, null, 2) : formatIncidentList(incidents, status);
}

/** `tunnel-warden incidents show <id>`: one incident and its timeline, or IncidentNotFoundError (exit 1). */
export async function showIncident(
  store: IncidentStore,
  id: string,
  options: IncidentsOptions,
): Promise<string> {
  if (id === '') throw new UsageError('incidents show needs an incident id');
  const [incident, timeline] = await Promise.all([store.get(id), store.timeline(id)]);
  if (incident === undefined) {
    const where = options.table === undefined ? '' : ` in table ${options.table}`;
    throw new IncidentNotFoundError(`no incident ${id}${where}`);
  }
  return options.json ? JSON.stringify({ incident, timeline }, null, 2) : formatIncident(incident, timeline);
}
