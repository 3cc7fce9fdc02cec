import type { PathConfig, SiteConfig } from '../config/schema.js';
import { vpnOfPath } from '../config/site.js';
import { classifyVpcTarget } from '../config/targets.js';
import type { RouteAction } from '../domain/actions.js';
import type { RouteTarget, Snapshot, VpcRoute, VpcRouteTableState } from '../domain/snapshot.js';
import { managedRoutes } from './active-path.js';
import { vpcCarrierOfPrefix } from './longest-prefix.js';
import type { Finding } from './plan.js';
import { type PathContext, tgwActions } from './tgw-converge.js';

export interface Convergence {
  readonly actions: RouteAction[];
  readonly findings: Finding[];
}

/**
 * Removing a static override hands the prefix to whatever route then matches it longest. Only do it
 * when that is already a route propagated from the VGW — for this prefix or an aggregate covering it
 * (a customer gateway advertising a /16 for a configured /20 carries the /20) — or, for a static VPN,
 * surely will be: the table propagates the VGW and the VPN is up with the prefix among its static
 * routes. For a BGP VPN only the visible route counts: the tunnel telemetry says how many prefixes the
 * customer gateway advertises, not which.
 */
function propagatedRouteWillCarry(
  table: VpcRouteTableState,
  gatewayId: string,
  vpnId: string | undefined,
  destination: string,
  snapshot: Snapshot,
): boolean {
  const carrier = vpcCarrierOfPrefix(
    table.routes,
    destination,
    (r) => r.destination === destination && r.origin === 'CreateRoute',
  );
  if (
    carrier?.origin === 'EnableVgwRoutePropagation' &&
    carrier.target.id === gatewayId &&
    carrier.state === 'active'
  )
    return true;
  const vpn = vpnId === undefined ? undefined : snapshot.vpnConnections[vpnId];
  if (vpn === undefined || !table.propagatingGateways.includes(gatewayId)) return false;
  if (!vpn.staticRoutesOnly) return false;
  const up = vpn.tunnels.some((t) => t.status === 'UP');
  return up && vpn.staticRoutes.some((r) => r.destination === destination && r.state === 'available');
}

/** One prefix of one VPC route table, to be routed to the path's VPC target. */
interface ManagedPrefix {
  readonly routeTableId: string;
  readonly table: VpcRouteTableState;
  readonly destination: string;
  readonly path: PathConfig;
  readonly target: RouteTarget;
}

function vpcActions(site: SiteConfig, path: PathConfig, snapshot: Snapshot, out: Convergence): void {
  const target = path.vpcTarget;
  if (target === undefined) return;
  for (const routeTableId of site.routeTables.vpc) {
    const table = snapshot.vpcRouteTables[routeTableId];
    if (table === undefined) {
      out.findings.push({
        code: 'missing-resource',
        severity: 'major',
        message: `VPC route table ${routeTableId} was not found`,
      });
      continue;
    }
    for (const destination of site.prefixes) {
      convergePrefix({ routeTableId, table, destination, path, target }, snapshot, out);
    }
  }
}

/**
 * Points one prefix at the path's target: a static override to a gateway or interface, or — to go
 * back to the VGW — the override removed so the propagated route carries the prefix again.
 */
function convergePrefix(prefix: ManagedPrefix, snapshot: Snapshot, out: Convergence): void {
  const { table, destination, target } = prefix;
  const override = table.routes.find((r) => r.destination === destination && r.origin === 'CreateRoute');
  if (override !== undefined) reportUnusable(prefix, override, out);
  if (override?.target.id === target.id && override.state === 'active') return;
  if (target.kind !== 'vpn-gateway') {
    out.actions.push({
      type: 'vpc-static-route',
      routeTableId: prefix.routeTableId,
      destination,
      target,
      ...(override === undefined ? {} : { previousTarget: override.target }),
    });
    return;
  }
  if (override !== undefined) handBackToPropagation(prefix, override, snapshot, out);
}

/** An override to a target tunnel-warden cannot manage is reported; converging replaces it all the same. */
function reportUnusable(prefix: ManagedPrefix, override: VpcRoute, out: Convergence): void {
  const usable = classifyVpcTarget(override.target.id);
  if (usable.ok || override.target.kind !== 'other') return;
  out.findings.push({
    code: 'unusable-route',
    severity: 'major',
    message: `${prefix.routeTableId} routes ${prefix.destination} to ${usable.problem}`,
  });
}

/** Removes the override in favour of the VGW's propagated route, or says why it stays (failback blocked). */
function handBackToPropagation(
  prefix: ManagedPrefix,
  override: VpcRoute,
  snapshot: Snapshot,
  out: Convergence,
): void {
  const { routeTableId, table, destination, path, target } = prefix;
  if (propagatedRouteWillCarry(table, target.id, path.vpn, destination, snapshot)) {
    out.actions.push({
      type: 'vpc-static-route-absent',
      routeTableId,
      destination,
      previousTarget: override.target,
    });
    return;
  }
  out.findings.push({
    code: 'failback-blocked',
    severity: 'major',
    path: path.name,
    message: `${routeTableId} keeps its override for ${destination}: no route propagated from ${target.id} would replace it`,
  });
}

/** Route changes that make every managed route point at `path`. */
export function convergeTo(
  site: SiteConfig,
  path: PathConfig,
  snapshot: Snapshot,
  context: PathContext,
): Convergence {
  const out: Convergence = { actions: [], findings: [] };
  tgwActions(site, path, snapshot, context, out);
  vpcActions(site, path, snapshot, out);
  return out;
}

/**
 * Drift that is safe to repair whatever path is active: VGW propagation the config asks for, and
 * the static routes of static VPNs on a VGW. Neither moves traffic to an unhealthy path: a VPN's
 * routes only propagate while it is up, and a static override beats them anyway.
 * Propagation disabled on a table whose routes are on a backup (or are to be) is left off: that is AWS's
 * documented lever to force traffic onto a static route (fact sheet §3), an operator's, not drift.
 */
export function repairDrift(site: SiteConfig, snapshot: Snapshot, desiredPath: string | undefined): Drift {
  const vgwPathConfigs = site.paths.filter((p) => p.vpcTarget?.kind === 'vpn-gateway');
  const gateways = site.paths.flatMap((p) => (p.vpcTarget?.kind === 'vpn-gateway' ? [p.vpcTarget.id] : []));
  const vgwPaths = new Set(vgwPathConfigs.map((p) => p.name));
  const drift: Drift = { actions: [], findings: [] };
  if (site.routeTables.propagation) repairPropagation(site, snapshot, desiredPath, gateways, vgwPaths, drift);
  for (const path of site.paths) drift.actions.push(...missingStaticRoutes(site, path, snapshot));
  return drift;
}

/** Enables VGW propagation where the config asks for it, unless the table is (to be) on a backup. */
function repairPropagation(
  site: SiteConfig,
  snapshot: Snapshot,
  desiredPath: string | undefined,
  gateways: readonly string[],
  vgwPaths: ReadonlySet<string>,
  out: Drift,
): void {
  const routes = managedRoutes(site, snapshot);
  for (const routeTableId of site.routeTables.vpc) {
    const table = snapshot.vpcRouteTables[routeTableId];
    if (table === undefined) continue;
    // On a backup now, or about to be: either way the disabled propagation is the operator's.
    const onBackup =
      routes.find((r) => r.routeTableId === routeTableId && r.path !== undefined && !vgwPaths.has(r.path)) ??
      (desiredPath !== undefined && !vgwPaths.has(desiredPath) ? { path: desiredPath } : undefined);
    for (const gatewayId of gateways) {
      if (table.propagatingGateways.includes(gatewayId)) continue;
      if (onBackup === undefined) {
        out.actions.push({ type: 'vgw-propagation', routeTableId, gatewayId });
        continue;
      }
      out.findings.push({
        code: 'operator-lever',
        severity: 'minor',
        message: `propagation from ${gatewayId} is disabled on ${routeTableId} while it routes to ${onBackup.path}: left off (an operator's lever); failback to ${gatewayId} waits until it is enabled again`,
      });
    }
  }
}

/** The site's prefixes missing from the static routes of a path's static VPN on a VGW. */
function missingStaticRoutes(site: SiteConfig, path: PathConfig, snapshot: Snapshot): RouteAction[] {
  const vpn = vpnOfPath(path, snapshot.vpnConnections);
  if (
    vpn === undefined ||
    vpn.state !== 'available' ||
    !vpn.staticRoutesOnly ||
    vpn.vpnGatewayId === undefined
  )
    return [];
  const present = (destination: string) =>
    vpn.staticRoutes.some(
      (r) => r.destination === destination && r.state !== 'deleted' && r.state !== 'deleting',
    );
  return site.prefixes
    .filter((destination) => !present(destination))
    .map((destination) => ({ type: 'vpn-static-route', vpnId: vpn.vpnId, destination }));
}

export interface Drift {
  readonly actions: RouteAction[];
  readonly findings: Finding[];
}
