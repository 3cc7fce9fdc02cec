import type { Snapshot, UnreadableField, VpnConnectionState } from '../domain/snapshot.js';
import type { PathHealth } from './plan.js';

/** `VgwTelemetry (missing)`, `VgwTelemetry[198.51.100.10].Status ("IMPAIRED")`: for reasons and findings. */
export function describeUnreadable(u: UnreadableField): string {
  return `${u.field} (${u.problem})`;
}

/** What the tunnels of one VPN connection say about the traffic it can carry. */
export interface VpnHealth {
  readonly health: PathHealth;
  readonly reason: string;
  readonly tunnelsUp: number;
  readonly tunnelsTotal: number;
  /** The earliest LastStatusChange among the working tunnels; only when healthy. */
  readonly healthySince?: string;
}

/**
 * A VPN is healthy when it is available with at least one tunnel UP — for a BGP VPN, UP with
 * accepted routes (AcceptedRouteCount > 0); down when the connection is gone, not available, or every
 * one of its tunnels is known DOWN; unknown when no tunnel is UP and the telemetry of some tunnel (or
 * all of it) could not be read — missing is not DOWN.
 *
 * `healthySince` is the earliest LastStatusChange among the UP tunnels: that tunnel has been UP
 * continuously since then, so the VPN has too. It is a lower bound, so a hold-down measured from it
 * can only be longer than the truth, never shorter.
 */
export function assessVpn(vpnId: string, snapshot: Snapshot): VpnHealth {
  const vpn = snapshot.vpnConnections[vpnId];
  if (vpn === undefined) {
    return { health: 'down', reason: `${vpnId} was not found`, tunnelsUp: 0, tunnelsTotal: 0 };
  }
  const ipsecUp = vpn.tunnels.filter((t) => t.status === 'UP');
  const routing = routingOf(vpn);
  // A BGP tunnel carries traffic only with the session up and routes accepted: UP with 0 accepted
  // routes is IPsec up, BGP down (fact sheet §1, §3), no better than DOWN.
  const up = routing === 'static' ? ipsecUp : ipsecUp.filter((t) => t.acceptedRouteCount > 0);
  const unknownTunnels = vpn.unreadable.filter((u) => u.affects === 'health');
  const counts = { tunnelsUp: up.length, tunnelsTotal: vpn.tunnels.length };
  if (vpn.state !== 'available') {
    return { ...counts, health: 'down', reason: `${vpnId} is ${vpn.state}` };
  }
  if (up.length === 0 && (unknownTunnels.length > 0 || vpn.tunnels.length === 0)) {
    const what = unknownTunnels.map(describeUnreadable).join(', ') || 'no tunnel reported';
    return { ...counts, health: 'unknown', reason: `${vpnId}: health unknown: ${what}` };
  }
  const bgpDown = ipsecUp.filter((t) => !up.includes(t));
  if (up.length === 0 && bgpDown.length > 0) {
    const tunnels = bgpDown.map((t) => `${t.outsideIp} ("${t.statusMessage}")`).join(', ');
    // Whether the VPN is BGP could not be read: its UP tunnels without routes may be static ones.
    if (routing === 'unknown')
      return {
        ...counts,
        health: 'unknown',
        reason: `${vpnId}: health unknown: tunnels UP with 0 accepted routes (${tunnels}) and the routing type unreadable`,
      };
    return {
      ...counts,
      health: 'down',
      reason: `${vpnId}: IPsec UP but BGP has 0 accepted routes on ${tunnels}`,
    };
  }
  if (up.length === 0) {
    return { ...counts, health: 'down', reason: `${vpnId}: all ${vpn.tunnels.length} tunnels DOWN` };
  }
  const healthySince = up
    .map((t) => t.lastStatusChange)
    .reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
  return {
    ...counts,
    health: 'healthy',
    reason: `${vpnId}: ${up.length} of ${vpn.tunnels.length} tunnels UP${unreadableNote(unknownTunnels)}`,
    healthySince,
  };
}

/** Static, BGP, or unknown when `Options.StaticRoutesOnly` could not be read (it then reads false). */
function routingOf(vpn: VpnConnectionState): 'static' | 'bgp' | 'unknown' {
  if (vpn.unreadable.some((u) => u.affects === 'routing')) return 'unknown';
  return vpn.staticRoutesOnly ? 'static' : 'bgp';
}

function unreadableNote(fields: readonly UnreadableField[]): string {
  return fields.length === 0 ? '' : `; unreadable: ${fields.map(describeUnreadable).join(', ')}`;
}
