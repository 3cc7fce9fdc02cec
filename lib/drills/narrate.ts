import type { FindingCode } from '../policy/findings.js';
import type { CompactReport } from '../runtime/compact-report.js';
import type { Delivery } from '../twin/deliver.js';
import type { BusEntry } from '../twin/services/server.js';

/**
 * How an outcome reads for the network, apart from whether an expectation held: `bad` (a handler
 * failed, no healthy path), `held` (traffic kept where it is, with the reason), `moved` (routes changed).
 */
export type Tone = 'bad' | 'held' | 'moved';

/** One line of a drill's story, at twin time. */
export interface TimelineLine {
  readonly at: string;
  readonly kind: 'step' | 'delivery' | 'incident' | 'expect';
  readonly text: string;
  /** Expect lines only: whether the expectation held. */
  readonly ok?: boolean;
  /** Other lines: how the outcome reads (absent: neutral). */
  readonly tone?: Tone;
}

/** Findings that say why traffic was held where it is. */
const HOLD_REASONS: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'no-healthy-path',
  'flapping',
  'failback-pending',
  'failback-blocked',
  'missing-resource',
  'unusable-route',
  'unknown-active-path',
  'change-cap-reached',
  'redundancy-lost',
  'telemetry-missing',
]);

type PlannedSite = Extract<CompactReport['sites'][number], { status: 'planned' | 'applied' }>;

/** Findings that keep traffic off the preferred path while the decision itself is steady. */
const FAILBACK_HELD: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'failback-pending',
  'failback-blocked',
  'flapping',
]);

const isHeld = (site: PlannedSite) =>
  site.plan.decision === 'hold' ||
  site.plan.decision === 'no-healthy-path' ||
  site.plan.findings.some((f) => FAILBACK_HELD.has(f.code));

/** Why a site's traffic stays where it is, from its findings; empty when nothing is held. */
function holdReason(site: PlannedSite): string {
  if (!isHeld(site)) return '';
  const reasons = site.plan.findings.filter((f) => HOLD_REASONS.has(f.code)).map((f) => f.message);
  const what = site.plan.decision === 'steady' ? 'failback held' : 'held';
  return ` — ${what}: ${[...new Set(reasons)].join('; ') || 'no finding says why'}`;
}

/** How a delivery reads: a failure or no healthy path is bad, a hold says so, route changes moved. */
export function toneOf(delivery: Delivery): Tone | undefined {
  if (delivery.outcome === 'failed' || delivery.outcome === 'retrying') return 'bad';
  const result = (delivery.result as { result?: unknown } | undefined)?.result;
  if (!isReport(result)) return undefined;
  if (
    result.sites.some(
      (s) => s.status === 'failed' || (s.status !== 'locked' && s.plan.decision === 'no-healthy-path'),
    )
  )
    return 'bad';
  if (result.sites.some((s) => s.status !== 'locked' && s.status !== 'failed' && isHeld(s))) return 'held';
  if (result.sites.some((s) => s.status === 'applied' && s.results.some((r) => r.outcome === 'changed')))
    return 'moved';
  return undefined;
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

/** One site's run: held, failed, or its decision, where its traffic is (going) and what changed. */
function narrateSite(s: CompactReport['sites'][number], mode: CompactReport['mode']['mode']): string {
  if (s.status === 'locked') return `${s.site}: held by another run`;
  if (s.status === 'failed') return `${s.site}: FAILED (${s.error})`;
  const changes = s.results.filter((r) => r.outcome === 'changed').length;
  const path =
    s.plan.desiredPath === undefined
      ? `on ${s.plan.activePath ?? 'no path'}, nowhere healthy to go`
      : s.plan.activePath === s.plan.desiredPath
        ? `on ${s.plan.desiredPath}`
        : `${s.plan.activePath ?? 'none'} → ${s.plan.desiredPath}`;
  const done =
    s.status === 'applied'
      ? `${changes} change(s) applied`
      : s.plan.actions.length > 0
        ? `${s.plan.actions.length} change(s) planned, ${mode}`
        : 'nothing to change';
  return `${s.site} ${s.plan.decision} (${path}), ${done}${holdReason(s)}`;
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
  const sites = result.sites.map((s) => narrateSite(s, result.mode.mode));
  return `${head}: ${sites.join('; ') || 'no managed site concerned'}`;
}

export function narrateIncident(entry: BusEntry): string {
  if (entry.detailType === 'Route Moved') return narrateMove(entry);
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

/** A Route Moved event: which route, from which path to which, and why. */
function narrateMove(entry: BusEntry): string {
  const d = entry.detail as {
    prefix?: string;
    routeTable?: { id?: string };
    from?: { path?: string | null };
    to?: { path?: string | null };
    reason?: string;
    change?: string;
  };
  return `Route Moved: ${d.prefix ?? ''} in ${d.routeTable?.id ?? ''} ${d.from?.path ?? 'none'} → ${d.to?.path ?? 'none'} (${d.reason ?? ''}, ${d.change ?? ''})`;
}
