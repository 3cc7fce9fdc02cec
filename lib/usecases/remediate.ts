import type { ActionResult } from '../aws/apply-result.js';
import { sitePolicy } from '../config/load.js';
import type { Mode, SiteConfig } from '../config/schema.js';
import type { Snapshot, VpnConnectionState } from '../domain/snapshot.js';
import type { Signal, VpnTarget } from '../events/signal.js';
import type { IncidentEvent } from '../incidents/ports.js';
import { activePathOf } from '../policy/active-path.js';
import { decide } from '../policy/decide.js';
import { planTunnelReplacement, simulateDrill } from '../policy/drill.js';
import type { Plan, TunnelTransition } from '../policy/plan.js';
import type { ModeReading } from '../store/mode.js';
import { type LockWait, withSiteLock } from '../store/site-lock.js';
import type { RemediationDeps } from './ports.js';
import { recordObservation, siteObservation, unmanagedObservation, withModeReading } from './record.js';
import { managedVpnIds, sitesInScope } from './scope.js';

export const DEFAULT_LOCK_TTL_MS = 120_000;
export const DEFAULT_LOCK_WAIT: LockWait = { timeoutMs: 10_000, pollMs: 250 };

export type SiteOutcome =
  | {
      readonly site: string;
      readonly status: 'planned' | 'applied';
      readonly plan: Plan;
      readonly results: readonly ActionResult[];
      readonly incidents: readonly IncidentEvent[];
      /** Recording the observation failed: the changes above happened, the incident does not say so yet. */
      readonly recordError?: string;
    }
  | { readonly site: string; readonly status: 'locked' }
  | { readonly site: string; readonly status: 'failed'; readonly error: string };

export interface RemediationReport {
  readonly signal: Signal;
  readonly mode: ModeReading;
  readonly sites: readonly SiteOutcome[];
  /** Targets that name no managed VPN: recorded, never acted on. */
  readonly unmanaged: readonly VpnTarget[];
  /** Incident changes for those unmanaged connections. */
  readonly unmanagedIncidents: readonly IncidentEvent[];
  /** Recording those failed: subject and error. */
  readonly unmanagedErrors: readonly string[];
}

const ORDER: Readonly<Record<Mode, number>> = { disabled: 0, 'dry-run': 1, enabled: 2 };

/** A drill acts only when it is live *and* the service is enabled; the stricter mode wins. */
function effectiveMode(signal: Signal, mode: Mode): Mode {
  if (!('drill' in signal)) return mode;
  const wanted: Mode = signal.drill.mode === 'live' ? 'enabled' : 'dry-run';
  return ORDER[wanted] < ORDER[mode] ? wanted : mode;
}

function transitionsOf(
  site: SiteConfig,
  vpns: Readonly<Record<string, VpnConnectionState>>,
): TunnelTransition[] {
  return site.paths.flatMap((p) => {
    const vpn = p.vpn === undefined ? undefined : vpns[p.vpn];
    return vpn === undefined
      ? []
      : vpn.tunnels.map((t) => ({ vpnId: vpn.vpnId, tunnelIp: t.outsideIp, at: t.lastStatusChange }));
  });
}

function siteVpnIds(site: SiteConfig): string[] {
  return site.paths.flatMap((p) => (p.vpn === undefined ? [] : [p.vpn]));
}

/**
 * Under the site's lock: a fresh snapshot of the site's VPNs and route tables — the one the plan is
 * made from — then decide, apply and record. Nothing read before the lock is trusted here: another
 * run may have changed routes, and tunnels may have changed state, while this one waited.
 */
async function remediateLocked(
  site: SiteConfig,
  signal: Signal,
  mode: Mode,
  deps: RemediationDeps,
): Promise<SiteOutcome> {
  const now = deps.clock();
  const policy = sitePolicy(deps.config, site);
  const [vpns, routes] = await Promise.all([
    deps.ec2.vpnConnections(siteVpnIds(site)),
    deps.ec2.routes({
      vpcRouteTableIds: site.routeTables.vpc,
      tgwRouteTables: site.routeTables.transitGateway.map((routeTableId) => ({
        routeTableId,
        destinations: site.prefixes,
      })),
    }),
  ]);
  const real: Snapshot = { takenAt: now.toISOString(), vpnConnections: vpns, ...routes };
  // Flap history records what really happened, never a drill's make-believe.
  const history = await deps.history.recordAndLoad(
    site.name,
    transitionsOf(site, vpns),
    now,
    policy.flapping.windowMs,
  );
  const snapshot =
    'drill' in signal ? simulateDrill(real, site, signal.drill, activePathOf(site, real)) : real;
  const plan =
    'drill' in signal && signal.drill.scenario === 'replace-tunnel'
      ? planTunnelReplacement(site, real, signal.drill, mode, now.getTime())
      : decide({ site, policy, snapshot, history, mode, now: now.getTime() });
  const apply = mode === 'enabled' && plan.actions.length > 0;
  const results = apply ? await deps.ec2.apply(plan.actions) : [];
  const status = apply ? ('applied' as const) : ('planned' as const);
  const record = deps.incidents;
  if (record === undefined) return { site: site.name, status, plan, results, incidents: [] };
  const observation = siteObservation({
    signal,
    site,
    plan,
    results,
    vpns,
    observedAt: real.takenAt,
    mode: record.mode,
  });
  try {
    return {
      site: site.name,
      status,
      plan,
      results,
      incidents: await recordObservation(observation, record),
    };
  } catch (error) {
    // What was applied stays in the report (and the logs) even when recording it failed.
    const recordError = error instanceof Error ? error.message : String(error);
    return { site: site.name, status, plan, results, incidents: [], recordError };
  }
}

async function remediateSite(
  site: SiteConfig,
  signal: Signal,
  mode: Mode,
  deps: RemediationDeps,
): Promise<SiteOutcome> {
  try {
    const held = await withSiteLock(
      deps.lock,
      site.name,
      deps.owner,
      deps.clock(),
      deps.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
      () => remediateLocked(site, signal, mode, deps),
      deps.lockWait ?? DEFAULT_LOCK_WAIT,
    );
    return held.acquired ? held.value : { site: site.name, status: 'locked' };
  } catch (error) {
    // One site's failure must not cost the others their run (a sweep covers every site).
    return {
      site: site.name,
      status: 'failed',
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** A site that was skipped, failed, or whose changes did not all land: the run must be retried. */
export function incompleteSites(report: RemediationReport): string[] {
  return report.sites
    .flatMap((s) => {
      if (s.status === 'locked' || s.status === 'failed') return [s.site];
      return s.recordError !== undefined || s.results.some((r) => r.outcome === 'failed') ? [s.site] : [];
    })
    .concat(report.unmanagedErrors.length > 0 ? ['unmanaged connections'] : []);
}

/**
 * observe → decide → apply → record for every site a signal concerns. The event only says where to
 * look: tunnel IPs are mapped to VPNs with one DescribeVpnConnections of the managed VPNs (only when
 * the event names a tunnel without its VPN); each site is then observed afresh under its lock.
 * `disabled` stops before any AWS call; `dry-run` plans and records without changing anything.
 */
export async function remediate(signal: Signal, deps: RemediationDeps): Promise<RemediationReport> {
  const reading = await deps.mode.read(deps.clock());
  const mode = effectiveMode(signal, reading.mode);
  if (mode === 'disabled')
    return {
      signal,
      mode: { ...reading, mode },
      sites: [],
      unmanaged: [],
      unmanagedIncidents: [],
      unmanagedErrors: [],
    };
  const needsMapping = 'targets' in signal && signal.targets.some((t) => t.vpnId === undefined);
  const vpns = needsMapping ? await deps.ec2.vpnConnections(managedVpnIds(deps.config)) : {};
  const scope = sitesInScope(signal, deps.config, { vpnConnections: vpns });
  const sites: SiteOutcome[] = [];
  // The incidents of a run that fell back to dry-run say why no route changed.
  const siteDeps = withModeReading(deps, { ...reading, mode });
  for (const site of scope.sites) sites.push(await remediateSite(site, signal, mode, siteDeps));
  const unmanagedIncidents: IncidentEvent[] = [];
  const unmanagedErrors: string[] = [];
  if (deps.incidents !== undefined) {
    // A Health event that names no VPN (a public notice) is still recorded, under its event code.
    const nameless =
      'health' in signal && signal.targets.length === 0
        ? [{ tunnelIps: [], code: signal.health.eventTypeCode }]
        : [];
    for (const target of [...scope.unmanaged, ...nameless]) {
      const observation = unmanagedObservation(signal, target);
      try {
        unmanagedIncidents.push(...(await recordObservation(observation, deps.incidents)));
      } catch (error) {
        unmanagedErrors.push(
          `${observation.subject}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
  return {
    signal,
    mode: { ...reading, mode },
    sites,
    unmanaged: scope.unmanaged,
    unmanagedIncidents,
    unmanagedErrors,
  };
}
