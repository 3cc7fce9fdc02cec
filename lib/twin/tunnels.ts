/**
 * Tunnel mutators for scenarios and the API: status changes with the telemetry AWS would show, gray
 * failures, and the completion of endpoint replacements as the clock passes them.
 */
import {
  type TunnelReplacement,
  type TwinTunnel,
  type TwinTunnelStatus,
  type TwinVpnConnection,
  type TwinWorld,
  tunnelByIp,
} from './state.js';

/** What the telemetry says about a tunnel in `status`: BGP tunnels count the prefixes they accepted. */
function telemetryFor(
  vpn: TwinVpnConnection,
  status: TwinTunnelStatus,
): Pick<TwinTunnel, 'statusMessage' | 'acceptedRouteCount'> {
  if (status === 'DOWN') return { statusMessage: 'IPSEC IS DOWN', acceptedRouteCount: 0 };
  if (vpn.staticRoutesOnly) return { statusMessage: '', acceptedRouteCount: vpn.staticRoutes.length };
  const n = vpn.advertisedPrefixes.length;
  return { statusMessage: `${n} BGP ROUTES`, acceptedRouteCount: n };
}

/**
 * Sets a tunnel's status as IKE/IPsec/BGP would. Only a real change moves `lastStatusChange` (AWS keeps
 * the instant of the last transition, which hold-down timers count from). `statusMessage` overrides the
 * usual telemetry text, e.g. to model IPsec up with BGP down.
 */
export function setTunnelStatus(
  world: TwinWorld,
  outsideIp: string,
  status: TwinTunnelStatus,
  at: Date,
  statusMessage?: string,
): void {
  const { vpn, tunnel } = tunnelByIp(world, outsideIp);
  if (tunnel.status !== status) tunnel.lastStatusChange = at.toISOString();
  tunnel.status = status;
  Object.assign(tunnel, telemetryFor(vpn, status));
  if (statusMessage !== undefined) tunnel.statusMessage = statusMessage;
}

/** Gray failure on (false) or off (true): the tunnel's status is untouched. */
export function setTrafficPassing(world: TwinWorld, outsideIp: string, passing: boolean): void {
  tunnelByIp(world, outsideIp).tunnel.trafficPassing = passing;
}

/** Recomputes the telemetry text of UP tunnels after their VPN's routes changed (counts follow the routes). */
export function refreshTelemetry(vpn: TwinVpnConnection): void {
  for (const tunnel of vpn.tunnels)
    if (tunnel.status === 'UP') Object.assign(tunnel, telemetryFor(vpn, 'UP'));
}

/**
 * Completes the replacements due at `now`: the new endpoint has fresh security associations (so a gray
 * failure on the old endpoint is gone) and pending maintenance applied when the replacement was asked to
 * apply it; the tunnel comes back UP at the completion instant unless nobody starts IKE on it (fact
 * sheet §8: AWS initiates only for IKEv2 with StartupAction=start), when it stays DOWN until a scenario
 * brings it up. Returns the replacements it completed.
 */
export function settle(world: TwinWorld, now: Date): TunnelReplacement[] {
  const done: TunnelReplacement[] = [];
  for (const r of world.replacements) {
    if (r.completedAt !== undefined || Date.parse(r.completesAt) > now.getTime()) continue;
    const { tunnel } = tunnelByIp(world, r.outsideIp);
    if (r.initiatedBy !== 'nobody') setTunnelStatus(world, r.outsideIp, 'UP', new Date(r.completesAt));
    tunnel.trafficPassing = true;
    if (r.applyPendingMaintenance && tunnel.maintenance.pending) {
      tunnel.maintenance = { pending: false, lastApplied: r.completesAt };
    }
    r.completedAt = r.completesAt;
    done.push(r);
  }
  return done;
}
