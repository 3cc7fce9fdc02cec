import type { SiteConfig } from '../config/schema.js';
import type { Snapshot, TunnelState } from '../domain/snapshot.js';
import type { DrillRequest } from '../events/signal.js';

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
  if (drill.scenario === 'failback') return snapshot;
  const path = site.paths.find((p) => p.name === activePath) ?? site.paths.find((p) => p.vpn !== undefined);
  const vpn = path?.vpn === undefined ? undefined : snapshot.vpnConnections[path.vpn];
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
  return { ...snapshot, vpnConnections: { ...snapshot.vpnConnections, [vpn.vpnId]: { ...vpn, tunnels } } };
}
