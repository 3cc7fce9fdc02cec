import { sitePolicy } from '../config/load.js';
import type { Mode, SiteConfig } from '../config/schema.js';
import { managedVpnIds, vpnOfPath } from '../config/site.js';
import { type ActionResult, ApplyAbandonedError } from '../domain/apply-result.js';
import {
  type ApplyIntent,
  DEFAULT_LOCK_WAIT,
  LEASE_MARGIN_MS,
  type Lease,
  type LeasedResult,
} from '../domain/lease.js';
import { RunAbandonedError, type StepGuard } from '../domain/run.js';
import type { Signal, VpnTarget } from '../domain/signal.js';
import type { VpnConnectionState } from '../domain/snapshot.js';
import type { IncidentEvent } from '../incidents/ports.js';
import { activePathOf } from '../policy/active-path.js';
import { decide } from '../policy/decide.js';
import { planTunnelReplacement, simulateDrill } from '../policy/drill.js';
import type { Plan, TunnelTransition } from '../policy/plan.js';
import { observeSite } from './observe-site.js';
import type { ModeReading, RemediationDeps } from './ports.js';
import { recordObservation, siteObservation, withModeReading } from './record.js';
import { sitesInScope } from './scope.js';
import { abandonedEntry, recoveryEntries } from './timeline.js';
import { recordUnmanaged } from './unmanaged.js';
import { withEffectiveRouteCheck } from './verify-routes.js';
import { withSiteLock } from './with-lease.js';

export const DEFAULT_LOCK_TTL_MS = 120_000;

export type SiteOutcome =
  | {
      readonly site: string;
      readonly status: 'planned' | 'applied';
      readonly plan: Plan;
      readonly results: readonly ActionResult[];
      readonly incidents: readonly IncidentEvent[];
      /** Recording the observation failed: the changes above happened, the incident does not say so yet. */
      readonly recordError?: string;
      /** The run stopped before a mutating step (deadline, lost lease): why. */
      readonly abandoned?: string;
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
    const vpn = vpnOfPath(p, vpns);
    return vpn === undefined
      ? []
      : vpn.tunnels.map((t) => ({ vpnId: vpn.vpnId, tunnelIp: t.outsideIp, at: t.lastStatusChange }));
  });
}

/** Time a mutating step needs before the deadline: the step itself and recording what it did. */
export const STEP_RESERVE_MS = 2_000;

/**
 * Before each mutating step: enough time left, and the lease still ours (renewed up to the deadline
 * plus a margin, so it never outlives a live run by much nor expires under one).
 */
function leaseGuard(deps: RemediationDeps, lease: Lease, intent?: ApplyIntent): StepGuard {
  return async (step) => {
    const remaining = deps.deadline.remainingMs();
    if (remaining <= STEP_RESERVE_MS)
      throw new RunAbandonedError(lease.site, step, `only ${remaining} ms left before the run's deadline`);
    const renewed = await deps.lock.renew(lease, deps.clock(), remaining + LEASE_MARGIN_MS, intent);
    if (!renewed)
      throw new RunAbandonedError(
        lease.site,
        step,
        `the site lease (fence ${lease.fence}) was lost: another run holds the site`,
      );
  };
}

interface Applied {
  readonly results: readonly ActionResult[];
  readonly abandoned?: string;
}

/** Write-ahead: the intent is stored with the lease before the first action, then each action is guarded. */
async function applyGuarded(
  plan: Plan,
  signal: Signal,
  deps: RemediationDeps,
  lease: Lease,
): Promise<Applied> {
  const intent: ApplyIntent = {
    owner: lease.owner,
    fence: lease.fence,
    eventId: signal.origin.eventId,
    plannedAt: plan.decidedAt,
    decision: plan.decision,
    actions: plan.actions,
  };
  try {
    await leaseGuard(deps, lease, intent)('recording the intent');
    return { results: await deps.ec2.apply(plan.actions, leaseGuard(deps, lease)) };
  } catch (error) {
    if (error instanceof ApplyAbandonedError) return { results: error.results, abandoned: error.message };
    if (error instanceof RunAbandonedError) {
      const results = plan.actions.map(
        (action): ActionResult => ({
          action,
          outcome: 'skipped',
          calls: [],
          detail: `not applied: ${error.message}`,
        }),
      );
      return { results, abandoned: error.message };
    }
    throw error;
  }
}

/**
 * Under the site's lease: a fresh snapshot of the site's VPNs and route tables — the one the plan is
 * made from — then decide, apply and record. Nothing read before the lock is trusted here: another
 * run may have changed routes, and tunnels may have changed state, while this one waited. An intent
 * an earlier holder left (it died between applying and recording) is recorded first.
 */
async function remediateLocked(
  site: SiteConfig,
  signal: Signal,
  mode: Mode,
  deps: RemediationDeps,
  lease: Lease,
): Promise<LeasedResult<SiteOutcome>> {
  const now = deps.clock();
  const policy = sitePolicy(deps.config, site);
  const real = await observeSite(deps.ec2, site, now);
  const vpns = real.vpnConnections;
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
  const { results, abandoned } = apply ? await applyGuarded(plan, signal, deps, lease) : { results: [] };
  // Read back where traffic really goes (longest prefix); a mismatch joins the plan's findings.
  const checked = apply ? await withEffectiveRouteCheck(site, plan, results, deps.ec2) : plan;
  const status = apply ? ('applied' as const) : ('planned' as const);
  const outcome = {
    site: site.name,
    status,
    plan: checked,
    results,
    ...(abandoned === undefined ? {} : { abandoned }),
  };
  const record = deps.incidents;
  const eventId = signal.origin.eventId;
  const extra = [
    ...(lease.pendingIntent === undefined
      ? []
      : recoveryEntries(eventId, real.takenAt, lease.pendingIntent, real)),
    ...(abandoned === undefined ? [] : [abandonedEntry(eventId, real.takenAt, site.name, abandoned)]),
  ];
  const observation = siteObservation({
    signal,
    site,
    plan: checked,
    results,
    vpns,
    observedAt: real.takenAt,
    mode: record.mode,
  });
  try {
    const incidents = await recordObservation(
      { ...observation, entries: [...observation.entries, ...extra] },
      record,
    );
    return { value: { ...outcome, incidents }, outcomeRecorded: true };
  } catch (error) {
    // What was applied stays in the report (and the logs) even when recording it failed; the intent
    // stays with the lease, so the next run records it.
    const recordError = error instanceof Error ? error.message : String(error);
    return { value: { ...outcome, incidents: [], recordError }, outcomeRecorded: false };
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
      (lease) => remediateLocked(site, signal, mode, deps, lease),
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

/**
 * Repairs that do not move traffic (re-enabling VGW propagation, restoring a static VPN route) are
 * best effort: the next sweep retries them, so their failure does not make an alarm run fail and be
 * retried (and dead-lettered) after its failover landed.
 */
function requiredActionFailed(result: ActionResult): boolean {
  const repairOnly = result.action.type === 'vgw-propagation' || result.action.type === 'vpn-static-route';
  return result.outcome === 'failed' && !repairOnly;
}

/** A site that was skipped, failed, or whose changes did not all land: the run must be retried. */
export function incompleteSites(report: RemediationReport): string[] {
  return report.sites
    .flatMap((s) => {
      if (s.status === 'locked' || s.status === 'failed') return [s.site];
      // Work the change cap deferred is owed too: counting it makes the run retried promptly.
      const deferred = s.status === 'applied' && s.plan.deferred.length > 0;
      const incomplete =
        s.recordError !== undefined ||
        s.abandoned !== undefined ||
        deferred ||
        s.results.some(requiredActionFailed);
      return incomplete ? [s.site] : [];
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
  const unmanaged = await recordUnmanaged(signal, scope.unmanaged, deps);
  return {
    signal,
    mode: { ...reading, mode },
    sites,
    unmanaged: scope.unmanaged,
    unmanagedIncidents: unmanaged.incidents,
    unmanagedErrors: unmanaged.errors,
  };
}
