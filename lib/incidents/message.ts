/** The short message people get by email/SMS/chat for an incident change. Machines use the event. */
import type { Severity } from '../domain/severity.js';
import { type IncidentChange, incidentDurations } from './model.js';
import type { IncidentEvent } from './ports.js';
import { redact } from './redact.js';

/** SNS rejects subjects of 100 characters or more, with line breaks, or with control characters. */
export const MAX_SUBJECT_LENGTH = 99;
/** Enough to say what was done; the CLI shows the full timeline. */
const MAX_LINES = 5;
const MAX_LINE_LENGTH = 200;

const VERB: Readonly<Record<IncidentChange, string>> = {
  opened: 'opened',
  reopened: 'reopened',
  updated: 'updated',
  resolved: 'resolved',
};

/**
 * The severity a person should read: the peak once resolved (a resolved incident's own severity is
 * `info`, and "INFO resolved" would hide that it was an outage), the current one otherwise. A page
 * delivered late (its channel was down) carries the incident as it is now: an "opened" page sent
 * after the resolve must still read MAJOR, not INFO.
 */
export function headlineSeverity(event: IncidentEvent): Severity {
  const resolved = event.change === 'resolved' || event.incident.status === 'resolved';
  return resolved ? event.incident.peakSeverity : event.incident.severity;
}

export function snsMessage(raw: IncidentEvent): { subject: string; message: string } {
  // Redact the parts, not the finished text: clipping a line must not cut a secret's closing tag and
  // leave it for a later pass to guess where the secret ends.
  const event = redact(raw);
  const { incident, change } = event;
  const severity = headlineSeverity(event).toUpperCase();
  const subject = asciiSubject(
    `[tunnel-warden] ${severity} ${incident.kind} ${VERB[change]}: ${incident.subject}`,
  );
  const lines = [
    `${severity} ${incident.kind} at ${incident.subject} (${VERB[change]}).`,
    incident.summary,
    ...reopens(event),
    '',
    `Since: ${incident.startedAt} (detected ${incident.detectedAt})`,
    ...(incident.mitigatedAt === undefined ? [] : [`Mitigated: ${incident.mitigatedAt}`]),
    ...(incident.resolvedAt === undefined ? [] : [`Resolved: ${incident.resolvedAt}`]),
    ...latestLines(event),
    ...durationLines(event),
    '',
    `Incident: ${incident.id}`,
    `Timeline: npx tunnel-warden incidents show ${incident.id}`,
  ];
  return { subject, message: lines.join('\n') };
}

/** A relapse is worth a line of its own: the fix did not hold. */
function reopens(event: IncidentEvent): string[] {
  const n = event.incident.reopenCount;
  return n === 0 ? [] : [`Reopened ${n} time${n === 1 ? '' : 's'} after resolving.`];
}

function latestLines(event: IncidentEvent): string[] {
  if (event.entries.length === 0) return [];
  const shown = event.entries.slice(-MAX_LINES);
  const hidden = event.entries.length - shown.length;
  return [
    '',
    'What tunnel-warden did:',
    ...shown.map((e) => `- ${e.at} ${e.type}: ${clip(oneLine(e.summary), MAX_LINE_LENGTH)}`),
    ...(hidden > 0 ? [`  (+${hidden} earlier in this change)`] : []),
  ];
}

function durationLines(event: IncidentEvent): string[] {
  if (event.change !== 'resolved') return [];
  const d = incidentDurations(event.incident);
  const parts = [
    `detect ${human(d.ttd)}`,
    ...(d.ttm === undefined ? [] : [`mitigate ${human(d.ttm)}`]),
    ...(d.ttr === undefined ? [] : [`resolve ${human(d.ttr)}`]),
  ];
  return ['', `Time to ${parts.join(', ')} (from the start of the failure).`];
}

/** 45s, 2m05s, 1h02m: a person reads minutes, not 3725 seconds. */
export function human(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${pad(Math.floor((seconds % 3600) / 60))}m`;
}

/** Printable ASCII on one line, under the SNS limit: a site name with `é` or a newline must not fail the page. */
export function asciiSubject(text: string): string {
  const ascii = oneLine(text).replace(/[^\x20-\x7e]/g, '?');
  return clip(ascii, MAX_SUBJECT_LENGTH);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
