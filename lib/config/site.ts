/**
 * What a site's configuration says about where to look: its VPN connections, the slice of the route
 * tables that is its own, and a path's VPN as a snapshot saw it. One module, used by the policy, the
 * use cases and the CLI alike, so they all read a site the same way.
 */
import type { RouteScope, VpnConnectionState } from '../domain/snapshot.js';
import type { Config, PathConfig, SiteConfig } from './schema.js';

/** The VPN connections a site's paths name, in path order. */
export function siteVpnIds(site: SiteConfig): string[] {
  return site.paths.flatMap((p) => (p.vpn === undefined ? [] : [p.vpn]));
}

/** Every VPN connection any site names, each once. */
export function managedVpnIds(config: Config): string[] {
  return [...new Set(config.sites.flatMap(siteVpnIds))];
}

/** A path's VPN connection as observed; undefined when the path names none or it was not found. */
export function vpnOfPath(
  path: PathConfig,
  vpnConnections: Readonly<Record<string, VpnConnectionState>>,
): VpnConnectionState | undefined {
  return path.vpn === undefined ? undefined : vpnConnections[path.vpn];
}

/** The route tables a site manages: its VPC tables whole, and its own prefixes in each TGW table. */
export function siteRouteScope(site: SiteConfig): RouteScope {
  return {
    vpcRouteTableIds: site.routeTables.vpc,
    // Covering routes too: an aggregate may carry a prefix, a more-specific route may shadow it.
    tgwRouteTables: site.routeTables.transitGateway.map((routeTableId) => ({
      routeTableId,
      destinations: site.prefixes,
      covering: true,
    })),
  };
}
