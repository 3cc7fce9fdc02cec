/**
 * Pending tunnel maintenance, found from the API (GetVpnTunnelReplacementStatus) rather than from an
 * AWS Health event code: on any VPN Health event of category `scheduledChange`, and on a daily sweep of
 * every managed VPN. Pending maintenance is recorded, with the date AWS applies it by itself; acting on
 * it (applying it in a quiet hour, failing over first) is a later issue.
 */

import type { Signal } from '../domain/signal.js';
import type { TunnelMaintenance, VpnConnectionState } from '../domain/snapshot.js';
import { TunnelWardenError } from '../errors.js';
import type { Observation, PendingEntry } from '../incidents/lifecycle.js';
import type { IncidentEvent } from '../incidents/ports.js';
import type { Ec2Port, RemediationDeps } from './ports.js';
import { isForeign } from './scope.js';
import { recordUnderSubjectLease } from './subject-lease.js';

export interface MaintenancePort {
  tunnelMaintenance(vpnId: string, tunnelIp: string): Promise<TunnelMaintenance>;
}

/** Read-only towards EC2: the tunnels of a VPN, and their maintenance. Nothing here can change a route. */
export interface MaintenanceDeps
  extends Pick<RemediationDeps, 'mode' | 'lock' | 'owner' | 'clock' | 'lockWait' | 'incidents'> {
  readonly ec2: Pick<Ec2Port, 'vpnConnections'>;
  readonly maintenance: MaintenancePort;
}

/** What started a check: the Health event or the schedule, kept on every entry it records. */
export interface MaintenanceTrigger {
  readonly eventId: string;
  readonly at: string;
}

export interface MaintenanceReport {
  /** Every tunnel asked about, pending or not. */
  readonly checked: readonly TunnelMaintenance[];
  readonly pending: readonly TunnelMaintenance[];
  readonly incidents: readonly IncidentEvent[];
  /** VPNs DescribeVpnConnections does not list (deleted): nothing to ask about. */
  readonly missing?: readonly string[];
  /** Tunnels that could not be asked about, and records that could not be written: what and why. */
  readonly errors: readonly string[];
  /** Set when the kill switch said `disabled`: nothing was asked. */
  readonly skipped?: string;
}

/** Some tunnels could not be checked or recorded: thrown after the rest was, so Lambda retries. */
export class MaintenanceCheckIncompleteError extends TunnelWardenError {
  public constructor(public readonly errors: readonly string[]) {
    super(`maintenance check incomplete: ${errors.join('; ')}`);
  }
}

/**
 * The VPNs whose maintenance a signal asks about: the stack's own VPNs named by a VPN Health event of
 * category `scheduledChange`, whatever its code (the code announcing maintenance is not one AWS
 * documents). Another account's VPNs are never looked up.
 */
export function maintenanceTargets(signal: Signal): string[] {
  if (!('health' in signal) || signal.health.eventTypeCategory !== 'scheduledChange') return [];
  const ids = signal.targets
    .filter((t) => !isForeign(signal, t))
    .flatMap((t) => (t.vpnId === undefined ? [] : [t.vpnId]));
  return [...new Set(ids)];
}

function describe(t: TunnelMaintenance): string {
  const when =
    t.autoAppliedAfter === undefined
      ? 'no auto-apply date given'
      : `AWS applies it after ${t.autoAppliedAfter}`;
  return `tunnel ${t.tunnelIp} of ${t.vpnId}: maintenance pending (${t.pendingMaintenance ?? '?'}); ${when}`;
}

/**
 * One notice per VPN and pending state: its id comes from the tunnels and their auto-apply dates, so a
 * daily sweep that finds the same maintenance again records nothing new, and a new date is a new record.
 */
export function maintenanceObservation(
  vpnId: string,
  pending: readonly TunnelMaintenance[],
  trigger: MaintenanceTrigger,
): Observation {
  const state = pending
    .map((t) => `${t.tunnelIp}@${t.autoAppliedAfter ?? 'unscheduled'}`)
    .sort()
    .join(',');
  const eventId = `maintenance:${vpnId}:${state}`;
  const entries: PendingEntry[] = pending.map((t) => ({
    at: trigger.at,
    type: 'note',
    entryId: `${eventId}#maintenance#${t.tunnelIp}`,
    summary: describe(t),
    detail: { maintenance: { ...t }, trigger: trigger.eventId },
  }));
  const earliest = pending
    .map((t) => t.autoAppliedAfter)
    .filter((d): d is string => d !== undefined)
    .sort()[0];
  const summary =
    `tunnel maintenance pending on ${vpnId} (${pending.map((t) => t.tunnelIp).join(', ')})` +
    (earliest === undefined ? '' : `, auto-applied after ${earliest}`);
  return {
    subject: `maintenance:${vpnId}`,
    eventId,
    condition: { healthy: false, kind: 'maintenance', severity: 'info', summary },
    notice: true,
    observedAt: trigger.at,
    mitigated: false,
    entries,
  };
}

async function record(observation: Observation, deps: MaintenanceDeps): Promise<IncidentEvent[]> {
  const incidents = deps.incidents;
  if (incidents === undefined) return [];
  const recorded = await recordUnderSubjectLease(observation, incidents, deps);
  if (recorded === undefined)
    throw new MaintenanceCheckIncompleteError([`${observation.subject}: held by another run`]);
  return recorded;
}

/**
 * Asks AWS about every tunnel of the given VPNs (one DescribeVpnConnections for their outside IPs,
 * then one GetVpnTunnelReplacementStatus per tunnel) and records the pending maintenance. Read-only
 * towards EC2. A tunnel that cannot be asked about does not stop the others; it is reported.
 */
export async function checkMaintenance(
  vpnIds: readonly string[],
  trigger: MaintenanceTrigger,
  deps: MaintenanceDeps,
): Promise<MaintenanceReport> {
  const reading = await deps.mode.read(deps.clock());
  if (reading.mode === 'disabled')
    return { checked: [], pending: [], incidents: [], errors: [], skipped: 'the kill switch says disabled' };
  if (vpnIds.length === 0) return { checked: [], pending: [], incidents: [], errors: [] };
  const vpns = await deps.ec2.vpnConnections(vpnIds);
  const { checked, errors, missing } = await askAboutTunnels(vpnIds, vpns, deps);
  const pending = checked.filter((t) => t.pending);
  const incidents = await recordPending(pending, trigger, deps, errors);
  return { checked, pending, incidents, errors, missing };
}

/** One GetVpnTunnelReplacementStatus per tunnel of each listed VPN; a failed one is noted, not fatal. */
async function askAboutTunnels(
  vpnIds: readonly string[],
  vpns: Readonly<Record<string, VpnConnectionState>>,
  deps: MaintenanceDeps,
): Promise<{ checked: TunnelMaintenance[]; errors: string[]; missing: string[] }> {
  const checked: TunnelMaintenance[] = [];
  const errors: string[] = [];
  const missing: string[] = [];
  for (const vpnId of vpnIds) {
    const vpn = vpns[vpnId];
    // Deleted (or never this account's): it has no tunnels to maintain. Reported, not an error.
    if (vpn === undefined) {
      missing.push(vpnId);
      continue;
    }
    for (const t of vpn.tunnels) {
      try {
        checked.push(await deps.maintenance.tunnelMaintenance(vpnId, t.outsideIp));
      } catch (error) {
        errors.push(`${vpnId} ${t.outsideIp}: ${messageOf(error)}`);
      }
    }
  }
  return { checked, errors, missing };
}

/** Records each VPN's pending maintenance as one observation; a record that fails is added to `errors`. */
async function recordPending(
  pending: readonly TunnelMaintenance[],
  trigger: MaintenanceTrigger,
  deps: MaintenanceDeps,
  errors: string[],
): Promise<IncidentEvent[]> {
  const incidents: IncidentEvent[] = [];
  for (const vpnId of new Set(pending.map((t) => t.vpnId))) {
    const observation = maintenanceObservation(
      vpnId,
      pending.filter((t) => t.vpnId === vpnId),
      trigger,
    );
    try {
      incidents.push(...(await record(observation, deps)));
    } catch (error) {
      errors.push(`${observation.subject}: ${messageOf(error)}`);
    }
  }
  return incidents;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
