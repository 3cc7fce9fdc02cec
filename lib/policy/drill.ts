import type { Mode, SiteConfig } from '../config/schema.js';
import { vpnOfPath } from '../config/site.js';
import type { DrillRequest } from '../domain/signal.js';
import type { Snapshot, TunnelState } from '../domain/snapshot.js';
import type { Plan } from './plan.js';

/**
 * The snapshot a drill plans against: the real one with the drilled failure laid over it, so the
 * plan shows what tunnel-warden would do if that failure happened now. `failback` changes nothing:
 * it asks whether a failback is due against the real state.
 */
export function simulateDrill(
  snapshot: Snapshot,
  site: SiteConfig,
  drill: DrillRequest,
  activePath: string | undefined,
): Snapshot {
  if (drill.scenario === 'failback' || drill.scenario === 'replace-tunnel') return snapshot;
  const path =
    site.paths.find((p) => p.name === activePath && p.vpn !== undefined) ??
    site.paths.find((p) => p.vpn !== undefined);
  const vpn = path === undefined ? undefined : vpnOfPath(path, snapshot.vpnConnections);
  if (vpn === undefined) return snapshot;
  const victim = drill.tunnelIp ?? vpn.tunnels[0]?.outsideIp;
  const down = (t: TunnelState): TunnelState => ({
    ...t,
    status: 'DOWN',
    statusMessage: 'DRILL',
    lastStatusChange: snapshot.takenAt,
    acceptedRouteCount: 0,
  });
  const tunnels = vpn.tunnels.map((t) =>
    drill.scenario === 'connection-down' || t.outsideIp === victim ? down(t) : t,
  );
  // A drilled connection-down is down whatever telemetry was unreadable: the drill states the failure.
  const unreadable =
    drill.scenario === 'connection-down'
      ? vpn.unreadable.filter((u) => u.affects !== 'health')
      : vpn.unreadable;
  const drilled = { ...vpn, tunnels, unreadable };
  return { ...snapshot, vpnConnections: { ...snapshot.vpnConnections, [vpn.vpnId]: drilled } };
}

/**
 * A tunnel replacement drill: replace one tunnel's endpoint for real (in live mode) to rehearse AWS
 * maintenance. Refused unless the tunnel belongs to one of the site's VPNs and another tunnel of that
 * connection is UP, because the replaced tunnel is down for minutes.
 */
export function planTunnelReplacement(
  site: SiteConfig,
  snapshot: Snapshot,
  drill: DrillRequest,
  mode: Mode,
  now: number,
): Plan {
  const base = {
    site: site.name,
    decidedAt: new Date(now).toISOString(),
    mode,
    paths: [],
    deferred: [],
  } as const;
  const ip = drill.tunnelIp ?? '';
  const vpn = site.paths
    .map((p) => vpnOfPath(p, snapshot.vpnConnections))
    .find((v) => v?.tunnels.some((t) => t.outsideIp === ip));
  if (vpn === undefined) {
    const message = `${ip} is not a tunnel of any VPN of ${site.name}: nothing replaced`;
    return {
      ...base,
      decision: 'hold',
      actions: [],
      findings: [{ code: 'missing-resource', severity: 'major', message }],
    };
  }
  const othersUp = vpn.tunnels.filter((t) => t.outsideIp !== ip && t.status === 'UP');
  if (othersUp.length === 0) {
    const message = `refused: no other tunnel of ${vpn.vpnId} is UP, so replacing ${ip} would take the connection down`;
    return {
      ...base,
      decision: 'hold',
      actions: [],
      findings: [{ code: 'redundancy-lost', severity: 'major', message }],
    };
  }
  const message = `replace tunnel ${ip} of ${vpn.vpnId}; ${othersUp.map((t) => t.outsideIp).join(', ')} carries the traffic meanwhile`;
  return {
    ...base,
    decision: 'repair',
    actions: [{ type: 'tunnel-replacement', vpnId: vpn.vpnId, outsideIp: ip }],
    findings: [{ code: 'drift', severity: 'info', message }],
  };
}
