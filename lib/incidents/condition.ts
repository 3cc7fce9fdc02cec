import type { Severity } from '../domain/severity.js';
import type { Signal } from '../domain/signal.js';
import type { FindingCode } from '../policy/findings.js';
import type { Plan } from '../policy/plan.js';
import type { IncidentKind } from './model.js';

/**
 * What an observation says about a subject: healthy, or a kind of trouble with a severity and, for a
 * site, the path it is on. Kind and path together say which failure it is: a relapse is the same
 * failure coming back (lifecycle.ts).
 */
export type Condition =
  | { readonly healthy: true; readonly summary: string }
  | {
      readonly healthy: false;
      readonly kind: IncidentKind;
      readonly severity: Severity;
      readonly summary: string;
      /** The site path in trouble; absent when the trouble is site-wide or the subject has no paths. */
      readonly path?: string;
    };

/**
 * A site's condition from its plan — the snapshot, not the event, decides. Severities:
 * critical = no path carries the site; major = a connection is down, flapping, or a route is
 * unusable/missing; minor = redundancy lost (or unverifiable: a path's telemetry is missing) or
 * configuration drift; info = maintenance and drills.
 * A site is healthy only when it is on its primary path with every tunnel of every path UP;
 * `landed` says whether this run's changes all took effect (mode enabled, none failed or deferred).
 */
export function siteCondition(plan: Plan, primary: string, landed: boolean): Condition {
  return troubleCondition(plan) ?? placementCondition(plan, primary, landed);
}

// exactOptionalPropertyTypes: a finding on no path gives a condition with no `path` key.
const on = (path: string | undefined) => (path === undefined ? {} : { path });

/** Lookups of a plan's findings by code: whether there is one, the first one's message and path. */
function findingsOf(plan: Plan) {
  return {
    has: (code: FindingCode) => plan.findings.some((f) => f.code === code),
    first: (code: FindingCode) => plan.findings.find((f) => f.code === code)?.message ?? code,
    pathOf: (code: FindingCode) => on(plan.findings.find((f) => f.code === code)?.path),
  };
}

/** The worst trouble the plan's findings report, from no healthy path down to lost redundancy. */
function troubleCondition(plan: Plan): Condition | undefined {
  const { has, first, pathOf } = findingsOf(plan);
  if (plan.decision === 'no-healthy-path')
    return {
      healthy: false,
      kind: 'site-unreachable',
      severity: 'critical',
      summary: first('no-healthy-path'),
    };
  if (has('path-down'))
    return {
      healthy: false,
      kind: 'connection-down',
      severity: 'major',
      summary: first('path-down'),
      ...pathOf('path-down'),
    };
  if (has('flapping'))
    return {
      healthy: false,
      kind: 'flapping',
      severity: 'major',
      summary: first('flapping'),
      ...pathOf('flapping'),
    };
  if (has('unusable-route') || has('missing-resource')) {
    const code = has('unusable-route') ? 'unusable-route' : 'missing-resource';
    return { healthy: false, kind: 'config-drift', severity: 'major', summary: first(code), ...pathOf(code) };
  }
  // A path whose health could not be read cannot be vouched for: the site is not known healthy. Only
  // a gap in the routing options (an info finding) leaves every path's health known.
  const unverified = plan.findings.find((f) => f.code === 'telemetry-missing' && f.severity !== 'info');
  if (unverified !== undefined)
    return {
      healthy: false,
      kind: 'redundancy-lost',
      severity: 'minor',
      summary: unverified.message,
      ...on(unverified.path),
    };
  if (has('redundancy-lost'))
    return {
      healthy: false,
      kind: 'redundancy-lost',
      severity: 'minor',
      summary: first('redundancy-lost'),
      ...pathOf('redundancy-lost'),
    };
  return undefined;
}

/**
 * With no trouble reported, the site is healthy only when traffic is on its primary path and nothing
 * drifted.
 */
function placementCondition(plan: Plan, primary: string, landed: boolean): Condition {
  const { has, first, pathOf } = findingsOf(plan);
  // A failback counts only once it landed: a dry-run plan or a failed change leaves traffic where it was.
  const onPrimary =
    plan.activePath === primary || (plan.decision === 'failback' && plan.desiredPath === primary && landed);
  if (!onPrimary) {
    // The trouble is the primary not carrying traffic: the same failure as the primary going down.
    return {
      healthy: false,
      kind: 'connection-down',
      severity: 'minor',
      summary: `traffic is on ${plan.activePath ?? 'no single path'}, not on ${primary}`,
      ...on(primary || undefined),
    };
  }
  if (has('drift') || has('failback-blocked')) {
    const code = has('drift') ? 'drift' : 'failback-blocked';
    return { healthy: false, kind: 'config-drift', severity: 'minor', summary: first(code), ...pathOf(code) };
  }
  return { healthy: true, summary: `on ${primary} with every tunnel UP` };
}

/**
 * A connection that belongs to no configured site is judged by its signals alone: there is no
 * site to observe. An OK alarm clears it.
 */
export function signalCondition(signal: Signal): Condition {
  switch (signal.kind) {
    case 'tunnel-up':
      return { healthy: true, summary: 'the alarm returned to OK' };
    case 'connection-down':
      return {
        healthy: false,
        kind: 'connection-down',
        severity: 'major',
        summary: 'every tunnel is down (alarm)',
      };
    case 'tunnel-down':
    case 'single-tunnel':
      return { healthy: false, kind: 'redundancy-lost', severity: 'minor', summary: 'a tunnel is down' };
    case 'telemetry-missing':
      return {
        healthy: false,
        kind: 'redundancy-lost',
        severity: 'minor',
        summary: 'TunnelState has no data',
      };
    // Not known to be down, not known to be healthy: recorded at the mildest severity that still shows.
    case 'alarm-unclear':
      return {
        healthy: false,
        kind: 'redundancy-lost',
        severity: 'info',
        summary: `a TunnelState alarm fired whose definition does not say what is down (${signal.alarm.reading?.because ?? 'unread'})`,
      };
    default:
      return {
        healthy: false,
        kind: 'maintenance',
        severity: 'info',
        summary: `${signal.kind} reported by AWS Health`,
      };
  }
}

/** Health notices that are records, not outages: an incident that opens and resolves at once. */
export function noticeCondition(signal: Signal): Condition | undefined {
  if (!('health' in signal)) return undefined;
  if (signal.kind === 'single-tunnel') {
    const summary = 'AWS Health: a tunnel was down for more than an hour in the past day';
    return { healthy: false, kind: 'redundancy-lost', severity: 'minor', summary };
  }
  const what =
    signal.kind === 'endpoint-replaced'
      ? 'a tunnel endpoint was replaced'
      : signal.kind === 'maintenance-pending'
        ? 'tunnel maintenance is pending'
        : `AWS Health ${signal.health.eventTypeCode}`;
  return { healthy: false, kind: 'maintenance', severity: 'info', summary: what };
}
