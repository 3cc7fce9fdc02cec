/**
 * After applying, where does traffic for the site really go? The effective route for an address is
 * the longest prefix that contains it (fact sheet §4), which a more-specific route, an aggregate or a
 * route someone else changed can decide, whatever the managed route says. This reads only: a mismatch
 * is a finding, never a new action. Pure.
 */
import { cidrContains, parseIpv4, parseIpv4Cidr } from '../config/cidr.js';
import type { SiteConfig } from '../config/schema.js';
import type { ActionResult } from '../domain/apply-result.js';
import type { RouteScope, Snapshot } from '../domain/snapshot.js';
import {
  probeAddressOf,
  tgwRouteForAddress,
  tgwRouteTarget,
  vpcRouteForAddress,
  vpcRouteTarget,
} from './longest-prefix.js';
import type { Finding, Plan } from './plan.js';

/** One address to look up in one table after applying, and the target its route must have. */
export interface RouteCheck {
  readonly kind: 'vpc' | 'tgw';
  readonly routeTableId: string;
  readonly address: string;
  /** The desired path's VPC target (`vgw-`, `tgw-`, `eni-`) or TGW attachment. */
  readonly expected: string;
  readonly path: string;
}

/** The site's probe address when the destination holds it, else the destination's first host. */
function addressIn(site: SiteConfig, destination: string): string | undefined {
  const cidr = parseIpv4Cidr(destination);
  if (cidr === undefined) return undefined;
  const probe = probeAddressOf(site);
  const probeIp = probe === undefined ? undefined : parseIpv4(probe);
  if (probe !== undefined && probeIp !== undefined && cidrContains(cidr, probeIp)) return probe;
  return probeAddressOf({ prefixes: [cidr.canonical] });
}

/** Which kind of table a landed route move is in, with its table and destination; undefined for other actions. */
function movedRoute(
  result: ActionResult,
): { kind: 'vpc' | 'tgw'; routeTableId: string; destination: string } | undefined {
  const { action, outcome } = result;
  if (outcome === 'failed' || outcome === 'skipped') return undefined;
  switch (action.type) {
    case 'tgw-route':
    case 'tgw-route-absent':
      return { kind: 'tgw', routeTableId: action.routeTableId, destination: action.destination };
    case 'vpc-static-route':
    case 'vpc-static-route-absent':
      return { kind: 'vpc', routeTableId: action.routeTableId, destination: action.destination };
    default:
      return undefined;
  }
}

/**
 * What to verify: every table a route move landed in (changed or already so), at the probe address
 * when the moved prefix holds it. Nothing when no route moved or the plan has no desired path.
 */
export function routeChecks(site: SiteConfig, plan: Plan, results: readonly ActionResult[]): RouteCheck[] {
  const path = site.paths.find((p) => p.name === plan.desiredPath);
  if (path === undefined) return [];
  const checks = new Map<string, RouteCheck>();
  for (const result of results) {
    const moved = movedRoute(result);
    if (moved === undefined) continue;
    const expected = moved.kind === 'tgw' ? path.transitGatewayAttachment : path.vpcTarget?.id;
    const address = addressIn(site, moved.destination);
    if (expected === undefined || address === undefined) continue;
    const { kind, routeTableId } = moved;
    checks.set(`${routeTableId} ${address}`, { kind, routeTableId, address, expected, path: path.name });
  }
  return [...checks.values()];
}

/** The reads the checks need: the VPC tables whole, each TGW table's routes covering the addresses. */
export function checkScope(checks: readonly RouteCheck[]): RouteScope {
  const tgw = new Map<string, string[]>();
  for (const c of checks) {
    if (c.kind === 'tgw') tgw.set(c.routeTableId, [...(tgw.get(c.routeTableId) ?? []), `${c.address}/32`]);
  }
  return {
    vpcRouteTableIds: [...new Set(checks.filter((c) => c.kind === 'vpc').map((c) => c.routeTableId))],
    // supernet-of-match on a /32 returns every route containing the address: all longest prefix needs.
    tgwRouteTables: [...tgw].map(([routeTableId, destinations]) => ({
      routeTableId,
      destinations,
      covering: true,
    })),
  };
}

/** Where one check's address really goes: a target, `blackhole`, `no route` or `table not found`. */
function effectiveTarget(check: RouteCheck, routes: Pick<Snapshot, 'vpcRouteTables' | 'tgwRouteTables'>) {
  if (check.kind === 'vpc') {
    const table = routes.vpcRouteTables[check.routeTableId];
    if (table === undefined) return { target: 'table not found', ok: false };
    const route = vpcRouteForAddress(table.routes, check.address);
    if (route === undefined) return { target: 'no route', ok: false };
    const target = route.state === 'active' ? vpcRouteTarget(route) : route.state;
    return { target, destination: route.destination, ok: target === check.expected };
  }
  const table = routes.tgwRouteTables[check.routeTableId];
  if (table === undefined) return { target: 'table not found', ok: false };
  const route = tgwRouteForAddress(table.routes, check.address);
  if (route === undefined) return { target: 'no route', ok: false };
  const target = route.state === 'active' ? tgwRouteTarget(route) : route.state;
  return { target, destination: route.destination, ok: target.split(', ').includes(check.expected) };
}

/** A finding for every check whose address is routed elsewhere than the desired path (longest prefix). */
export function effectiveRouteFindings(
  checks: readonly RouteCheck[],
  routes: Pick<Snapshot, 'vpcRouteTables' | 'tgwRouteTables'>,
): Finding[] {
  return checks.flatMap((check): Finding[] => {
    const found = effectiveTarget(check, routes);
    if (found.ok) return [];
    const via = found.destination === undefined ? '' : ` by ${found.destination}`;
    return [
      {
        code: 'effective-route-mismatch',
        severity: 'major',
        path: check.path,
        message: `after applying, ${check.routeTableId} routes ${check.address}${via} to ${found.target}, not to ${check.path} (${check.expected}): longest prefix decides (nothing changed for it)`,
      },
    ];
  });
}
