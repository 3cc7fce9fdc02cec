/**
 * A small model of how AWS applies route actions, for property tests of the policy: it keeps the
 * propagated VPC routes consistent with VGW propagation and VPN state, as AWS does.
 */
import type { SiteConfig } from '../../lib/config/schema.js';
import type { RouteAction } from '../../lib/domain/actions.js';
import type {
  Snapshot,
  TgwRoute,
  TgwRouteTableState,
  VpcRoute,
  VpcRouteTableState,
} from '../../lib/domain/snapshot.js';
import { bgpCarries } from '../../lib/policy/tgw-converge.js';

function vpnCarries(snapshot: Snapshot, gatewayId: string, destination: string): boolean {
  return Object.values(snapshot.vpnConnections).some((vpn) => {
    if (vpn.vpnGatewayId !== gatewayId || vpn.state !== 'available') return false;
    const up = vpn.tunnels.filter((t) => t.status === 'UP');
    if (vpn.staticRoutesOnly)
      return (
        up.length > 0 &&
        vpn.staticRoutes.some((r) => r.destination === destination && r.state === 'available')
      );
    return up.some((t) => t.acceptedRouteCount > 0);
  });
}

/** Recomputes every table's propagated routes for the given prefixes from propagation and VPN state. */
export function materialize(
  snapshot: Snapshot,
  prefixes: readonly string[],
  tgwSites: readonly SiteConfig[] = [],
): Snapshot {
  const vpcRouteTables: Record<string, VpcRouteTableState> = {};
  for (const [id, table] of Object.entries(snapshot.vpcRouteTables)) {
    const kept = table.routes.filter((r) => r.origin !== 'EnableVgwRoutePropagation');
    const propagated: VpcRoute[] = table.propagatingGateways.flatMap((gw) =>
      prefixes
        .filter((p) => vpnCarries(snapshot, gw, p))
        .map(
          (destination) =>
            ({
              destination,
              target: { kind: 'vpn-gateway', id: gw },
              origin: 'EnableVgwRoutePropagation',
              state: 'active',
            }) as const,
        ),
    );
    vpcRouteTables[id] = { ...table, routes: [...kept, ...propagated] };
  }
  const withVpc = { ...snapshot, vpcRouteTables };
  return tgwSites.reduce(materializeTgw, withVpc);
}

/**
 * A TGW table's propagated routes for a site whose paths include BGP VPN attachments: one route per
 * prefix, listing every BGP attachment whose customer gateway advertises (ECMP, `VpnEcmpSupport` on),
 * and hidden while a static route for the prefix exists — a static route beats every propagated one,
 * and the snapshot is never shown more than the pessimistic twin lists (fact sheet §4, §8).
 */
function materializeTgw(snapshot: Snapshot, site: SiteConfig): Snapshot {
  const bgpPaths = site.paths.filter((p) => {
    const vpn = p.vpn === undefined ? undefined : snapshot.vpnConnections[p.vpn];
    return vpn?.transitGatewayId !== undefined && !vpn.staticRoutesOnly;
  });
  if (bgpPaths.length === 0) return snapshot;
  const carriers = bgpPaths
    .filter((p) => bgpCarries(p, snapshot))
    .flatMap((p) => p.transitGatewayAttachment ?? []);
  const tgwRouteTables = { ...snapshot.tgwRouteTables };
  for (const id of site.routeTables.transitGateway) {
    const table = tgwRouteTables[id];
    if (table === undefined) continue;
    const kept = table.routes.filter(
      (r) => !(r.type === 'propagated' && site.prefixes.includes(r.destination)),
    );
    const propagated = site.prefixes.flatMap((destination): TgwRoute[] => {
      const first = carriers[0];
      if (first === undefined || kept.some((r) => r.destination === destination)) return [];
      return [
        {
          destination,
          attachmentId: first,
          ...(carriers.length > 1 ? { attachmentIds: carriers } : {}),
          type: 'propagated',
          state: 'active',
        },
      ];
    });
    tgwRouteTables[id] = { ...table, routes: [...kept, ...propagated] };
  }
  return { ...snapshot, tgwRouteTables };
}

function applyOne(snapshot: Snapshot, action: RouteAction): Snapshot {
  switch (action.type) {
    case 'tgw-route': {
      const table = snapshot.tgwRouteTables[action.routeTableId];
      if (table === undefined) return snapshot;
      const routes = table.routes.filter(
        (r) => !(r.destination === action.destination && r.type === 'static'),
      );
      const next: TgwRouteTableState = {
        ...table,
        routes: [
          ...routes,
          {
            destination: action.destination,
            attachmentId: action.attachmentId,
            type: 'static',
            state: 'active',
          },
        ],
      };
      return { ...snapshot, tgwRouteTables: { ...snapshot.tgwRouteTables, [action.routeTableId]: next } };
    }
    case 'vpc-static-route':
    case 'vpc-static-route-absent': {
      const table = snapshot.vpcRouteTables[action.routeTableId];
      if (table === undefined) return snapshot;
      const routes = table.routes.filter(
        (r) => !(r.destination === action.destination && r.origin === 'CreateRoute'),
      );
      if (action.type === 'vpc-static-route') {
        routes.push({
          destination: action.destination,
          target: action.target,
          origin: 'CreateRoute',
          state: 'active',
        });
      }
      return {
        ...snapshot,
        vpcRouteTables: { ...snapshot.vpcRouteTables, [action.routeTableId]: { ...table, routes } },
      };
    }
    case 'vgw-propagation': {
      const table = snapshot.vpcRouteTables[action.routeTableId];
      if (table === undefined || table.propagatingGateways.includes(action.gatewayId)) return snapshot;
      const next = { ...table, propagatingGateways: [...table.propagatingGateways, action.gatewayId] };
      return { ...snapshot, vpcRouteTables: { ...snapshot.vpcRouteTables, [action.routeTableId]: next } };
    }
    case 'tunnel-replacement':
      return snapshot;
    case 'tgw-route-absent': {
      const table = snapshot.tgwRouteTables[action.routeTableId];
      if (table === undefined) return snapshot;
      const routes = table.routes.filter(
        (r) => !(r.destination === action.destination && r.type === 'static'),
      );
      return {
        ...snapshot,
        tgwRouteTables: { ...snapshot.tgwRouteTables, [action.routeTableId]: { ...table, routes } },
      };
    }
    case 'vpn-static-route': {
      const vpn = snapshot.vpnConnections[action.vpnId];
      if (vpn === undefined || vpn.staticRoutes.some((r) => r.destination === action.destination))
        return snapshot;
      const next = {
        ...vpn,
        staticRoutes: [...vpn.staticRoutes, { destination: action.destination, state: 'available' }],
      };
      return { ...snapshot, vpnConnections: { ...snapshot.vpnConnections, [action.vpnId]: next } };
    }
  }
}

export function applyModel(snapshot: Snapshot, actions: readonly RouteAction[], site: SiteConfig): Snapshot {
  return materialize(actions.reduce(applyOne, snapshot), site.prefixes, [site]);
}

/** Whether a table has a usable route for the prefix (what AWS would forward with). */
export function hasRoute(snapshot: Snapshot, tableId: string, destination: string): boolean {
  const tgw = snapshot.tgwRouteTables[tableId];
  if (tgw !== undefined)
    return tgw.routes.some(
      (r) => r.destination === destination && r.state === 'active' && r.attachmentId !== undefined,
    );
  const vpc = snapshot.vpcRouteTables[tableId];
  return vpc?.routes.some((r) => r.destination === destination && r.state === 'active') ?? false;
}
