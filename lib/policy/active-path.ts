import type { SiteConfig } from '../config/schema.js';
import { type Snapshot, tgwRouteAttachments, type VpcRoute } from '../domain/snapshot.js';
import { tgwCarrierOfPrefix, vpcCarrierOfPrefix } from './longest-prefix.js';
import { pathOfTgwRoute } from './tgw-converge.js';

/**
 * The route a VPC table carries a prefix with: the longest route equal to or covering it (an aggregate
 * propagated from the customer gateway counts), and for an equal prefix the static one over the propagated.
 */
export function effectiveVpcRoute(routes: readonly VpcRoute[], destination: string): VpcRoute | undefined {
  return vpcCarrierOfPrefix(routes, destination);
}

/** One managed route (table × prefix) and the path it points at now, if any. */
export interface ManagedRoute {
  readonly routeTableId: string;
  readonly destination: string;
  /** Undefined when the route is missing, blackholed or points at nothing the site knows. */
  readonly path?: string;
  /** What an active route points at (attachments, comma-separated, or a VPC target id); undefined when none is. */
  readonly target?: string;
}

/** Every managed route of the site, TGW tables first, each with the path it points at now. */
export function managedRoutes(site: SiteConfig, snapshot: Snapshot): ManagedRoute[] {
  const out: ManagedRoute[] = [];
  const add = (routeTableId: string, destination: string, path: string | undefined, target?: string) =>
    out.push({
      routeTableId,
      destination,
      ...(path === undefined ? {} : { path }),
      ...(target === undefined || target === '' ? {} : { target }),
    });
  for (const tableId of site.routeTables.transitGateway) {
    const routes = snapshot.tgwRouteTables[tableId]?.routes ?? [];
    for (const prefix of site.prefixes) {
      const route = tgwCarrierOfPrefix(routes, prefix);
      const attachments = route?.state === 'active' ? tgwRouteAttachments(route).join(', ') : undefined;
      add(tableId, prefix, pathOfTgwRoute(site, route)?.name, attachments);
    }
  }
  for (const tableId of site.routeTables.vpc) {
    const routes = snapshot.vpcRouteTables[tableId]?.routes ?? [];
    for (const prefix of site.prefixes) {
      const route = effectiveVpcRoute(routes, prefix);
      const target = route?.state === 'active' ? route.target.id : undefined;
      add(
        tableId,
        prefix,
        site.paths.find((p) => target !== undefined && p.vpcTarget?.id === target)?.name,
        target,
      );
    }
  }
  return out;
}

/**
 * The paths the site's routes point at now, one entry per managed route (table × prefix); an entry
 * is undefined when that route is missing, blackholed or points at nothing the site knows.
 */
export function pathsInUse(site: SiteConfig, snapshot: Snapshot): (string | undefined)[] {
  return managedRoutes(site, snapshot).map((r) => r.path);
}

/** The one path every managed route points at, or undefined when they disagree or some point nowhere. */
export function activePathOf(site: SiteConfig, snapshot: Snapshot): string | undefined {
  const used = pathsInUse(site, snapshot);
  const first = used[0];
  return first !== undefined && used.every((name) => name === first) ? first : undefined;
}
