import type { Mode, SiteConfig } from '../config/schema.js';
import { vpnOfPath } from '../config/site.js';
import type { DrillRequest, TrafficProbe } from '../domain/signal.js';
import type { Snapshot, TunnelState, VpnConnectionState } from '../domain/snapshot.js';
import type { Plan } from './plan.js';
import { describeUnreadable } from './vpn-health.js';

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

/** How old a recorded probe may be: traffic seen longer ago says little about the tunnel now. */
export const TRAFFIC_PROBE_MAX_AGE_MS = 10 * 60_000;

type Refusal = { readonly code: 'redundancy-lost' | 'telemetry-missing'; readonly message: string };

/**
 * Why the tunnels other than `ip` cannot be trusted to carry the connection while `ip` is replaced, or
 * the tunnel that will. UP is not enough: a BGP tunnel needs accepted routes (IPsec up / BGP down
 * carries nothing), and an UP tunnel may pass no traffic at all (a gray failure: fact sheet §8, static
 * active/active) — status cannot tell, so a recent recorded probe through that tunnel must. Unknown
 * is refused and said so, never taken as working.
 */
function carrier(
  vpn: VpnConnectionState,
  ip: string,
  drill: DrillRequest,
  now: number,
): { readonly refused: Refusal } | { readonly tunnel: TunnelState; readonly passedAt: string } {
  const othersUp = vpn.tunnels.filter((t) => t.outsideIp !== ip && t.status === 'UP');
  if (othersUp.length === 0) {
    const message = `refused: no other tunnel of ${vpn.vpnId} is UP, so replacing ${ip} would take the connection down`;
    return { refused: { code: 'redundancy-lost', message } };
  }
  if (vpn.unreadable.some((u) => u.affects === 'routing')) {
    const message = `refused: whether ${vpn.vpnId} uses BGP is unknown (${vpn.unreadable.map(describeUnreadable).join(', ')}), so it is unknown whether ${othersUp.map((t) => t.outsideIp).join(', ')} carries routes`;
    return { refused: { code: 'telemetry-missing', message } };
  }
  const routed = vpn.staticRoutesOnly ? othersUp : othersUp.filter((t) => t.acceptedRouteCount > 0);
  if (routed.length === 0) {
    const message = `refused: BGP on ${othersUp.map((t) => `${t.outsideIp} ("${t.statusMessage}")`).join(', ')} of ${vpn.vpnId} has 0 accepted routes (IPsec up, BGP down), so replacing ${ip} would take the connection down`;
    return { refused: { code: 'redundancy-lost', message } };
  }
  return probedCarrier(routed, drill.trafficProbe, now);
}

/** The tunnel among `routed` a recent probe shows passing traffic, or why there is none. */
function probedCarrier(
  routed: readonly TunnelState[],
  probe: TrafficProbe | undefined,
  now: number,
): { readonly refused: Refusal } | { readonly tunnel: TunnelState; readonly passedAt: string } {
  const names = routed.map((t) => t.outsideIp).join(' or ');
  if (probe === undefined) {
    const message = `refused: nothing shows that ${names} passes traffic (an UP tunnel may pass none): probe through it and give trafficProbe {tunnelIp, passedAt}`;
    return { refused: { code: 'telemetry-missing', message } };
  }
  const tunnel = routed.find((t) => t.outsideIp === probe.tunnelIp);
  const problem =
    tunnel === undefined ? `it went through ${probe.tunnelIp}, not ${names}` : staleness(probe, tunnel, now);
  if (tunnel === undefined || problem !== undefined) {
    const message = `refused: the traffic probe does not show that ${names} passes traffic now: ${problem}`;
    return { refused: { code: 'telemetry-missing', message } };
  }
  return { tunnel, passedAt: probe.passedAt };
}

/** Why a probe through `tunnel` says nothing about it now, or undefined when it is recent enough. */
function staleness(probe: TrafficProbe, tunnel: TunnelState, now: number): string | undefined {
  const passedAt = Date.parse(probe.passedAt);
  if (passedAt > now) return `its time ${probe.passedAt} is in the future`;
  if (now - passedAt > TRAFFIC_PROBE_MAX_AGE_MS)
    return `it is older than ${TRAFFIC_PROBE_MAX_AGE_MS / 60_000} minutes (${probe.passedAt})`;
  if (passedAt < Date.parse(tunnel.lastStatusChange))
    return `${tunnel.outsideIp} changed status at ${tunnel.lastStatusChange}, after it`;
  return undefined;
}

/**
 * A tunnel replacement drill: replace one tunnel's endpoint for real (in live mode) to rehearse AWS
 * maintenance, optionally applying its pending maintenance. Refused unless the tunnel belongs to one of
 * the site's VPNs and another tunnel of that connection is known to carry the traffic meanwhile (see
 * `carrier`), because the replaced tunnel is down for minutes — and longer when the customer gateway,
 * not AWS, must bring it back (fact sheet §3, §8: AWS initiates IKE only for IKEv2 with StartupAction=start).
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
  const found = carrier(vpn, ip, drill, now);
  if ('refused' in found) {
    return {
      ...base,
      decision: 'hold',
      actions: [],
      findings: [{ ...found.refused, severity: 'major' }],
    };
  }
  const maintenance = drill.applyPendingMaintenance === true;
  const message = `replace tunnel ${ip} of ${vpn.vpnId}${maintenance ? ' applying its pending maintenance' : ''}; ${found.tunnel.outsideIp} carries the traffic meanwhile (probed at ${found.passedAt})`;
  return {
    ...base,
    decision: 'repair',
    actions: [
      {
        type: 'tunnel-replacement',
        vpnId: vpn.vpnId,
        outsideIp: ip,
        ...(maintenance ? { applyPendingMaintenance: true } : {}),
      },
    ],
    findings: [{ code: 'drift', severity: 'info', message }],
  };
}
