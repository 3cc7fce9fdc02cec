import type { SitePolicy } from '../config/load.js';
import type { PathConfig } from '../config/schema.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { PathAssessment, SiteHistory } from './plan.js';

/**
 * A path is healthy when its VPN connection is available with at least one tunnel UP. A path with
 * no VPN (a TGW attachment, an appliance) has no telemetry to judge and counts as healthy.
 *
 * `healthySince` is the earliest LastStatusChange among the UP tunnels: that tunnel has been UP
 * continuously since then, so the path has too. It is a lower bound, so a hold-down measured from it
 * can only be longer than the truth, never shorter.
 */
export function assessPath(
  path: PathConfig,
  snapshot: Snapshot,
  history: SiteHistory,
  policy: SitePolicy,
  now: number,
): PathAssessment {
  const vpnId = path.vpn;
  if (vpnId === undefined) {
    return {
      name: path.name,
      healthy: true,
      reason: 'no VPN to watch',
      tunnelsUp: 0,
      tunnelsTotal: 0,
      recentTransitions: 0,
      flapping: false,
    };
  }
  const since = now - policy.flapping.windowMs;
  const recentTransitions = history.transitions.filter(
    (t) => t.vpnId === vpnId && Date.parse(t.at) >= since,
  ).length;
  const flapping = recentTransitions > policy.flapping.maxTransitions;
  const base = { name: path.name, recentTransitions, flapping };
  const vpn = snapshot.vpnConnections[vpnId];
  if (vpn === undefined) {
    return { ...base, healthy: false, reason: `${vpnId} was not found`, tunnelsUp: 0, tunnelsTotal: 0 };
  }
  const up = vpn.tunnels.filter((t) => t.status === 'UP');
  const counts = { tunnelsUp: up.length, tunnelsTotal: vpn.tunnels.length };
  if (vpn.state !== 'available') {
    return { ...base, ...counts, healthy: false, reason: `${vpnId} is ${vpn.state}` };
  }
  if (up.length === 0) {
    return { ...base, ...counts, healthy: false, reason: `${vpnId}: all ${vpn.tunnels.length} tunnels DOWN` };
  }
  const healthySince = up
    .map((t) => t.lastStatusChange)
    .reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
  return {
    ...base,
    ...counts,
    healthy: true,
    reason: `${vpnId}: ${up.length} of ${vpn.tunnels.length} tunnels UP`,
    healthySince,
  };
}

/** Whether a healthy path has been healthy long enough to take traffic back. */
export function holdDownElapsed(path: PathAssessment, holdDownMs: number, now: number): boolean {
  if (!path.healthy) return false;
  if (path.healthySince === undefined) return true;
  return now - Date.parse(path.healthySince) >= holdDownMs;
}
