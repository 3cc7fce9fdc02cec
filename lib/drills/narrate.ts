import type { CompactReport } from '../runtime/compact-report.js';
import type { Delivery } from '../twin/deliver.js';
import type { BusEntry } from '../twin/services/server.js';

/** One line of a drill's story, at twin time. */
export interface TimelineLine {
  readonly at: string;
  readonly kind: 'step' | 'delivery' | 'incident' | 'expect';
  readonly text: string;
  readonly ok?: boolean;
}

function isReport(value: unknown): value is CompactReport {
  return typeof value === 'object' && value !== null && 'sites' in value && Array.isArray(value.sites);
}

/** A run that concerned nothing and changed nothing (a keepalive tick, an ignored event): left out of the story. */
export function isQuiet(delivery: Delivery): boolean {
  if (delivery.outcome !== 'handled') return delivery.outcome === 'ignored';
  const result = (delivery.result as { result?: unknown } | undefined)?.result;
  if (!isReport(result)) return true;
  return result.sites.every(
    (s) =>
      (s.status === 'planned' || s.status === 'applied') &&
      s.plan.decision === 'steady' &&
      s.incidents.length === 0,
  );
}

/** What a function did with an event, in a sentence: the decision per site and the changes made. */
export function narrateDelivery(delivery: Delivery): string {
  const head = `${delivery.function} ← ${delivery.detailType}`;
  if (delivery.outcome === 'failed' && delivery.detailType === 'Invocation')
    return `${head}: FAILED (${delivery.error ?? ''})`;
  if (delivery.outcome === 'retrying')
    return `${head}: attempt ${delivery.attempts} FAILED (${delivery.error ?? ''}) → Lambda retries at ${delivery.retryAt ?? '?'}`;
  if (delivery.outcome === 'failed')
    return `${head}: FAILED after ${delivery.attempts} attempts (${delivery.error ?? ''}) → dead-letter queue`;
  const result = (delivery.result as { result?: unknown } | undefined)?.result;
  if (delivery.outcome === 'ignored' || !isReport(result)) return `${head}: ignored`;
  if (result.mode.mode === 'disabled') return `${head}: kill switch is disabled — no action`;
  const sites = result.sites.map((s) => {
    if (s.status === 'locked') return `${s.site}: held by another run`;
    if (s.status === 'failed') return `${s.site}: FAILED (${s.error})`;
    const changes = s.results.filter((r) => r.outcome === 'changed').length;
    const path =
      s.plan.activePath === s.plan.desiredPath
        ? `on ${s.plan.desiredPath ?? '—'}`
        : `${s.plan.activePath ?? 'none'} → ${s.plan.desiredPath ?? '—'}`;
    const done =
      s.status === 'applied'
        ? `${changes} change(s) applied`
        : s.plan.actions.length > 0
          ? `${s.plan.actions.length} change(s) planned, ${result.mode.mode}`
          : 'nothing to change';
    return `${s.site} ${s.plan.decision} (${path}), ${done}`;
  });
  return `${head}: ${sites.join('; ') || 'no managed site concerned'}`;
}

export function narrateIncident(entry: BusEntry): string {
  const detail = entry.detail as {
    incident?: {
      id?: string;
      kind?: string;
      severity?: string;
      peakSeverity?: string;
      summary?: string;
      durations?: Record<string, number>;
    };
  };
  const i = detail.incident ?? {};
  const durations =
    entry.detailType === 'Incident Resolved' && i.durations !== undefined
      ? ` (ttd ${i.durations.ttd}s, ttm ${i.durations.ttm ?? '—'}s, ttr ${i.durations.ttr ?? '—'}s)`
      : '';
  return `${entry.detailType}: ${i.id ?? ''} ${i.kind ?? ''} ${(entry.detailType === 'Incident Resolved' ? i.peakSeverity : i.severity) ?? ''} — ${i.summary ?? ''}${durations}`;
}
