import type { PathConfig, SiteConfig } from '../config/schema.js';
import type { RouteAction } from '../domain/actions.js';
import { type Snapshot, type TgwRoute, tgwRouteAttachments } from '../domain/snapshot.js';
import type { Finding, PathHealth } from './plan.js';

/** What converging the TGW tables needs to know about the site's paths besides the snapshot. */
export interface PathContext {
  /** The health of each configured path, by name. */
  readonly health: (pathName: string) => PathHealth | undefined;
}

/**
 * Whether a path is a BGP VPN on a transit gateway whose customer gateway advertises routes now: UP
 * tunnels with accepted routes (fact sheet §3). Only then does a propagated route for it exist, so only
 * then may a static override be removed in its favour. A VPN whose routing type could not be read is
 * not known to be BGP.
 */
export function bgpCarries(path: PathConfig, snapshot: Snapshot): boolean {
  const vpn = path.vpn === undefined ? undefined : snapshot.vpnConnections[path.vpn];
  if (vpn === undefined || vpn.state !== 'available' || vpn.transitGatewayId === undefined) return false;
  if (vpn.staticRoutesOnly || vpn.unreadable.some((u) => u.affects === 'routing')) return false;
  return vpn.tunnels.some((t) => t.status === 'UP' && t.acceptedRouteCount > 0);
}

/** The best configured path among the attachments a TGW route forwards to (several for ECMP). */
export function pathOfTgwRoute(site: SiteConfig, route: TgwRoute | undefined): PathConfig | undefined {
  if (route?.state !== 'active') return undefined;
  const attachments = tgwRouteAttachments(route);
  return site.paths.find(
    (p) => p.transitGatewayAttachment !== undefined && attachments.includes(p.transitGatewayAttachment),
  );
}

/**
 * Route changes that make a TGW table × prefix carry traffic to `path`, respecting dynamic routing
 * (fact sheet §4 and §8: a static route beats every propagated one, so it switches off BGP failover and
 * ECMP, and is not filtered):
 * - a propagated route that already includes the path's attachment (alone or ECMP) is left alone;
 * - a propagated route to another path that is healthy is left alone too: BGP chose it, and pinning
 *   the prefix over it is exactly what tunnel-warden must never do;
 * - a static route elsewhere is removed (not replaced) when the path is BGP and advertises routes:
 *   the override has done its work and BGP carries the prefix again;
 * - otherwise a static route is needed (the propagated route still points at a dead path — AWS may not
 *   withdraw it — or nothing else carries the prefix) and it is created or replaced.
 */
export function tgwActions(
  site: SiteConfig,
  path: PathConfig,
  snapshot: Snapshot,
  context: PathContext,
  out: { readonly actions: RouteAction[]; readonly findings: Finding[] },
): void {
  const attachmentId = path.transitGatewayAttachment;
  if (attachmentId === undefined) return;
  const bgp = bgpCarries(path, snapshot);
  for (const routeTableId of site.routeTables.transitGateway) {
    const table = snapshot.tgwRouteTables[routeTableId];
    if (table === undefined) {
      out.findings.push({
        code: 'missing-resource',
        severity: 'major',
        message: `transit gateway route table ${routeTableId} was not found`,
      });
      continue;
    }
    for (const destination of site.prefixes) {
      const route = table.routes.find((r) => r.destination === destination && r.type === 'static');
      const propagated = table.routes.find((r) => r.destination === destination && r.type === 'propagated');
      const where = `${routeTableId} ${destination}`;
      if (route?.state === 'active' && route.attachmentId === attachmentId) continue;
      if (route === undefined && propagated?.state === 'active') {
        if (tgwRouteAttachments(propagated).includes(attachmentId)) continue;
        const carrier = pathOfTgwRoute(site, propagated);
        if (carrier !== undefined && context.health(carrier.name) === 'healthy') {
          out.findings.push({
            code: 'dynamic-route-kept',
            severity: 'info',
            path: path.name,
            message: `${where} is propagated (BGP) to ${carrier.name}, which is healthy: no static route pins it to ${path.name}`,
          });
          continue;
        }
      }
      if (route !== undefined && bgp) {
        out.actions.push({
          type: 'tgw-route-absent',
          routeTableId,
          destination,
          ...(route.attachmentId === undefined ? {} : { previousAttachmentId: route.attachmentId }),
        });
        continue;
      }
      out.actions.push({
        type: 'tgw-route',
        routeTableId,
        destination,
        attachmentId,
        ...(route?.attachmentId === undefined ? {} : { previousAttachmentId: route.attachmentId }),
      });
    }
  }
}
