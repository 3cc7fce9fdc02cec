import type { PathConfig, SiteConfig } from '../config/schema.js';
import { vpnOfPath } from '../config/site.js';
import { classifyVpcTarget } from '../config/targets.js';
import type { RouteAction } from '../domain/actions.js';
import type { Snapshot, VpcRouteTableState } from '../domain/snapshot.js';
import { managedRoutes } from './active-path.js';
import type { Finding } from './plan.js';
import { type PathContext, tgwActions } from './tgw-converge.js';

export interface Convergence {
  readonly actions: RouteAction[];
  readonly findings: Finding[];
}

/**
 * Removing a static override hands the prefix to the VGW's propagated route. Only do it when that
 * route for this exact prefix is in the table already, or — for a static VPN — surely will be: the
 * table propagates the VGW and the VPN is up with the prefix among its static routes. For a BGP VPN
 * only the visible route counts: the tunnel telemetry says how many prefixes the customer gateway
 * advertises, not which.
 */
function propagatedRouteWillCarry(
  table: VpcRouteTableState,
  gatewayId: string,
  vpnId: string | undefined,
  destination: string,
  snapshot: Snapshot,
): boolean {
  const propagated = table.routes.some(
    (r) =>
      r.destination === destination &&
      r.origin === 'EnableVgwRoutePropagation' &&
      r.target.id === gatewayId &&
      r.state === 'active',
  );
  if (propagated) return true;
  const vpn = vpnId === undefined ? undefined : snapshot.vpnConnections[vpnId];
  if (vpn === undefined || !table.propagatingGateways.includes(gatewayId)) return false;
  if (!vpn.staticRoutesOnly) return false;
  const up = vpn.tunnels.some((t) => t.status === 'UP');
  return up && vpn.staticRoutes.some((r) => r.destination === destination && r.state === 'available');
}

function vpcActions(site: SiteConfig, path: PathConfig, snapshot: Snapshot, out: Convergence): void {
  const target = path.vpcTarget;
  if (target === undefined) return;
  const targetId = target.id;
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
      const override = table.routes.find((r) => r.destination === destination && r.origin === 'CreateRoute');
      const usable = override === undefined ? undefined : classifyVpcTarget(override.target.id);
      if (usable !== undefined && !usable.ok && override?.target.kind === 'other') {
        out.findings.push({
          code: 'unusable-route',
          severity: 'major',
          message: `${routeTableId} routes ${destination} to ${usable.problem}`,
        });
      }
      if (override?.target.id === targetId && override.state === 'active') continue;
      if (target.kind !== 'vpn-gateway') {
        out.actions.push({
          type: 'vpc-static-route',
          routeTableId,
          destination,
          target,
          ...(override === undefined ? {} : { previousTarget: override.target }),
        });
        continue;
      }
      if (override === undefined) continue;
      if (propagatedRouteWillCarry(table, targetId, path.vpn, destination, snapshot)) {
        out.actions.push({
          type: 'vpc-static-route-absent',
          routeTableId,
          destination,
          previousTarget: override.target,
        });
      } else {
        out.findings.push({
          code: 'failback-blocked',
          severity: 'major',
          path: path.name,
          message: `${routeTableId} keeps its override for ${destination}: no route propagated from ${targetId} would replace it`,
        });
      }
    }
  }
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
  const actions: RouteAction[] = [];
  const findings: Finding[] = [];
  const vgwPaths = site.paths.filter((p) => p.vpcTarget?.kind === 'vpn-gateway');
  const gateways = vgwPaths.flatMap((p) => (p.vpcTarget === undefined ? [] : [p.vpcTarget.id]));
  const vgwPathNames = new Set(vgwPaths.map((p) => p.name));
  const routes = managedRoutes(site, snapshot);
  if (site.routeTables.propagation) {
    for (const routeTableId of site.routeTables.vpc) {
      const table = snapshot.vpcRouteTables[routeTableId];
      // On a backup now, or about to be: either way the disabled propagation is the operator's.
      const onBackup =
        routes.find(
          (r) => r.routeTableId === routeTableId && r.path !== undefined && !vgwPathNames.has(r.path),
        ) ??
        (desiredPath !== undefined && !vgwPathNames.has(desiredPath) ? { path: desiredPath } : undefined);
      for (const gatewayId of gateways) {
        if (table === undefined || table.propagatingGateways.includes(gatewayId)) continue;
        if (onBackup === undefined) {
          actions.push({ type: 'vgw-propagation', routeTableId, gatewayId });
          continue;
        }
        findings.push({
          code: 'operator-lever',
          severity: 'minor',
          message: `propagation from ${gatewayId} is disabled on ${routeTableId} while it routes to ${onBackup.path}: left off (an operator's lever); failback to ${gatewayId} waits until it is enabled again`,
        });
      }
    }
  }
  for (const path of site.paths) {
    const vpn = vpnOfPath(path, snapshot.vpnConnections);
    if (
      vpn === undefined ||
      vpn.state !== 'available' ||
      !vpn.staticRoutesOnly ||
      vpn.vpnGatewayId === undefined
    )
      continue;
    for (const destination of site.prefixes) {
      const present = vpn.staticRoutes.some(
        (r) => r.destination === destination && r.state !== 'deleted' && r.state !== 'deleting',
      );
      if (!present) actions.push({ type: 'vpn-static-route', vpnId: vpn.vpnId, destination });
    }
  }
  return { actions, findings };
}

export interface Drift {
  readonly actions: RouteAction[];
  readonly findings: Finding[];
}
