import type { SiteConfig } from '../config/schema.js';
import { vpnOfPath } from '../config/site.js';
import type { RouteAction } from '../domain/actions.js';
import type { Severity } from '../domain/severity.js';
import type { Snapshot, VpnConnectionState } from '../domain/snapshot.js';
import { managedRoutes } from './active-path.js';
import { describeUnreadable } from './path-health.js';
import type { Finding, PathAssessment, PathHealth } from './plan.js';

/**
 * One `telemetry-missing` finding per VPN whose answer was incomplete, naming the VPN and the fields.
 * Severity follows what the gap hides: the health of the path carrying the traffic (major), of another
 * path (minor), of one tunnel of a path known healthy anyway (minor), or only its routing type (info).
 */
export function telemetryFindings(
  site: SiteConfig,
  snapshot: Snapshot,
  paths: readonly PathAssessment[],
  activePath: string | undefined,
): Finding[] {
  return site.paths.flatMap((path): Finding[] => {
    const vpn = vpnOfPath(path, snapshot.vpnConnections);
    if (vpn === undefined || vpn.unreadable.length === 0) return [];
    const health = paths.find((p) => p.name === path.name)?.health;
    const fields = vpn.unreadable.map(describeUnreadable);
    const { severity, consequence } = gapImpact(path.name, health, vpn, activePath);
    return [
      {
        code: 'telemetry-missing',
        severity,
        path: path.name,
        vpnId: vpn.vpnId,
        fields,
        message: `DescribeVpnConnections ${vpn.vpnId}: ${fields.join(', ')}; ${consequence}`,
      },
    ];
  });
}

/** How bad a telemetry gap is, and what follows from it, by what it hides. */
function gapImpact(
  pathName: string,
  health: PathHealth | undefined,
  vpn: VpnConnectionState,
  activePath: string | undefined,
): { readonly severity: Severity; readonly consequence: string } {
  if (health === 'unknown')
    return {
      severity: pathName === activePath ? 'major' : 'minor',
      consequence: `the health of ${pathName} is unknown: no traffic moves off it or onto it because of this`,
    };
  if (vpn.unreadable.some((u) => u.affects === 'health'))
    return { severity: 'minor', consequence: `${pathName} is judged by the tunnels that were reported` };
  return { severity: 'info', consequence: 'static routes and overrides of this VPN are left as they are' };
}

/**
 * Route changes that would take traffic off a path whose health is unknown are dropped, except on a
 * failback (a better path verified healthy past its hold-down justifies it, whatever the other path's
 * telemetry says). Unknown is never a reason to move traffic; the other routes of a split or
 * half-repaired site still converge.
 */
export function keepOnUnknown(
  actions: readonly RouteAction[],
  site: SiteConfig,
  snapshot: Snapshot,
  paths: readonly PathAssessment[],
): { readonly actions: RouteAction[]; readonly kept: number } {
  const unknown = new Set(paths.filter((p) => p.health === 'unknown').map((p) => p.name));
  if (unknown.size === 0) return { actions: [...actions], kept: 0 };
  const onUnknown = new Set(
    managedRoutes(site, snapshot)
      .filter((r) => r.path !== undefined && unknown.has(r.path))
      .map((r) => `${r.routeTableId}|${r.destination}`),
  );
  const keep = actions.filter(
    (a) =>
      !(
        (a.type === 'tgw-route' ||
          a.type === 'tgw-route-absent' ||
          a.type === 'vpc-static-route' ||
          a.type === 'vpc-static-route-absent') &&
        onUnknown.has(`${a.routeTableId}|${a.destination}`)
      ),
  );
  return { actions: keep, kept: actions.length - keep.length };
}
