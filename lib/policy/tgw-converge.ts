import type { PathConfig, SiteConfig } from '../config/schema.js';
import { vpnOfPath } from '../config/site.js';
import type { RouteAction } from '../domain/actions.js';
import { type Snapshot, type TgwRoute, tgwRouteAttachments } from '../domain/snapshot.js';
import { tgwCarrierOfPrefix } from './longest-prefix.js';
import type { Finding, PathHealth } from './plan.js';

/** What converging the TGW tables needs to know about the site's paths besides the snapshot. */
export interface PathContext {
  /** The health of each configured path, by name. */
  readonly health: (pathName: string) => PathHealth | undefined;
  /** Whether a path may take traffic back: healthy past its hold-down and not flapping. */
  readonly settled: (pathName: string) => boolean;
}

/**
 * The BGP paths, other than the one a static route points at, that removing it would hand traffic
 * to (every BGP path that advertises: ECMP) and that are not yet past their hold-down. Unless the
 * route's own path is down (a failover waits for no hold-down), the removal is a failback for them
 * and waits: otherwise traffic would leave a settled path, or one of unknown health, for a path
 * healthy only just now.
 */
function unsettledTakers(
  site: SiteConfig,
  pinned: PathConfig,
  snapshot: Snapshot,
  context: PathContext,
): PathConfig[] {
  if (context.health(pinned.name) === 'down') return [];
  return site.paths.filter((p) => p !== pinned && bgpCarries(p, snapshot) && !context.settled(p.name));
}

/**
 * Whether a path is a BGP VPN on a transit gateway whose customer gateway advertises routes now: UP
 * tunnels with accepted routes (fact sheet §3). Only then does a propagated route for it exist, so only
 * then may a static override be removed in its favour. A VPN whose routing type could not be read is
 * not known to be BGP.
 */
export function bgpCarries(path: PathConfig, snapshot: Snapshot): boolean {
  const vpn = vpnOfPath(path, snapshot.vpnConnections);
  if (vpn === undefined || vpn.state !== 'available' || vpn.transitGatewayId === undefined) return false;
  if (vpn.staticRoutesOnly || vpn.unreadable.some((u) => u.affects === 'routing')) return false;
  return vpn.tunnels.some((t) => t.status === 'UP' && t.acceptedRouteCount > 0);
}

/**
 * Whether a propagated route may still point at this path although it carries nothing: a VPN on a
 * transit gateway that is not known to be static and does not advertise now. AWS may leave such a
 * route in place after an interruption (fact sheet §8), so a static route is the only way around it.
 */
function mayHoldStaleRoute(path: PathConfig, snapshot: Snapshot): boolean {
  if (path.vpn === undefined || path.transitGatewayAttachment === undefined) return false;
  const vpn = vpnOfPath(path, snapshot.vpnConnections);
  const knownStatic = vpn?.staticRoutesOnly === true && !vpn.unreadable.some((u) => u.affects === 'routing');
  return !knownStatic && !bgpCarries(path, snapshot);
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
 *   the override has done its work and BGP carries the prefix again — unless it points at another
 *   BGP path that advertises while some BGP path of the site is silent: it then carries traffic
 *   safely and may be what keeps it off a stale propagated route, so it stays (like one to the path
 *   itself, below), and a run cut short ends where a whole run ends;
 * - a static route to a path that is not down is removed only once every other BGP path that
 *   advertises is past its hold-down: the removal hands the prefix to all of them (ECMP), so it is a
 *   failback for each (see unsettledTakers);
 * - a static route to the path itself stays, unless the path is BGP, advertises routes, and no BGP
 *   path of the site is silent: then no propagated route can be a stale one to a dead path, so the
 *   static route overrides nothing and only pins a healthy BGP route (switching off its failover and
 *   ECMP) — it is removed. Without this, a run cut short after an ECMP prefix returned to BGP left
 *   its sibling pinned forever, where the whole run had handed both to BGP;
 * - otherwise a static route is needed (the propagated route still points at a dead path — AWS may not
 *   withdraw it — or nothing else carries the prefix) and it is created or replaced.
 */
export function tgwActions(
  site: SiteConfig,
  path: PathConfig,
  snapshot: Snapshot,
  context: PathContext,
  out: Outcome,
): void {
  const attachmentId = path.transitGatewayAttachment;
  if (attachmentId === undefined) return;
  const bgp = bgpCarries(path, snapshot);
  // While some BGP path is silent, a propagated route may still point at it: a static route to a BGP
  // path that advertises may be what keeps traffic off it, so it is kept until every BGP path
  // advertises again — whether it points at this path or another one.
  const staleRisk = site.paths.some((p) => mayHoldStaleRoute(p, snapshot));
  const scope: TgwScope = { site, path, snapshot, context, attachmentId, bgp, staleRisk };
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
    for (const destination of site.prefixes)
      convergeTgwPrefix(scope, routeTableId, table.routes, destination, out);
  }
}

type Outcome = { readonly actions: RouteAction[]; readonly findings: Finding[] };

/** What converging every TGW table × prefix of a site to one path shares. */
interface TgwScope {
  readonly site: SiteConfig;
  readonly path: PathConfig;
  readonly snapshot: Snapshot;
  readonly context: PathContext;
  /** The path's TGW attachment. */
  readonly attachmentId: string;
  /** The path is BGP and advertises routes now. */
  readonly bgp: boolean;
  /** Some BGP path of the site is silent: a propagated route may still point at it. */
  readonly staleRisk: boolean;
}

/** One TGW table × prefix: left alone, handed back to BGP, or given a static route to the path. */
function convergeTgwPrefix(
  scope: TgwScope,
  routeTableId: string,
  routes: readonly TgwRoute[],
  destination: string,
  out: Outcome,
): void {
  const { attachmentId } = scope;
  const route = routes.find((r) => r.destination === destination && r.type === 'static');
  // The propagated route that would carry the prefix: for it exactly, or an aggregate covering it.
  const propagated = tgwCarrierOfPrefix(
    routes.filter((r) => r.type === 'propagated'),
    destination,
  );
  const where = `${routeTableId} ${destination}`;
  const pinOnly = scope.bgp && !scope.staleRisk;
  if (route?.state === 'active' && route.attachmentId === attachmentId && !pinOnly) return;
  if (route === undefined && propagatedIsKept(scope, propagated, where, out)) return;
  if (route !== undefined && scope.bgp) {
    handBackToBgp(scope, routeTableId, destination, route, out);
    return;
  }
  out.actions.push({
    type: 'tgw-route',
    routeTableId,
    destination,
    attachmentId,
    ...(route?.attachmentId === undefined ? {} : { previousAttachmentId: route.attachmentId }),
  });
}

/**
 * Whether an active propagated route is left alone: it already includes the path's attachment, or
 * BGP chose another path that is healthy (said in a finding: pinning over it is never done).
 */
function propagatedIsKept(
  scope: TgwScope,
  propagated: TgwRoute | undefined,
  where: string,
  out: Outcome,
): boolean {
  if (propagated?.state !== 'active') return false;
  if (tgwRouteAttachments(propagated).includes(scope.attachmentId)) return true;
  const carrier = pathOfTgwRoute(scope.site, propagated);
  if (carrier === undefined || scope.context.health(carrier.name) !== 'healthy') return false;
  out.findings.push({
    code: 'dynamic-route-kept',
    severity: 'info',
    path: scope.path.name,
    message: `${where} is propagated (BGP) to ${carrier.name}, which is healthy: no static route pins it to ${scope.path.name}`,
  });
  return true;
}

/**
 * The path is BGP and advertises: the static route goes, so BGP carries the prefix again — unless it
 * must stay for now (a stale route could take over, or a taker is still in its hold-down).
 */
function handBackToBgp(
  scope: TgwScope,
  routeTableId: string,
  destination: string,
  route: TgwRoute,
  out: Outcome,
): void {
  const { site, snapshot, context } = scope;
  // A static route to another BGP path that advertises carries traffic safely; removing it now
  // could hand the prefix to a stale route, and a run cut short would keep it (above) where a
  // whole run removed it. Both end the same way: it goes once nothing can be stale.
  const pinned = pathOfTgwRoute(site, route);
  if (scope.staleRisk && pinned !== undefined && bgpCarries(pinned, snapshot)) return;
  // A static route to nothing of the site (or to a dead path) is no failback for anyone: it goes now.
  const waiting = pinned === undefined ? [] : unsettledTakers(site, pinned, snapshot, context);
  if (pinned !== undefined && waiting.length > 0) {
    out.findings.push(
      ...waiting.map(
        (p): Finding => ({
          code: 'failback-pending',
          severity: 'info',
          path: p.name,
          message: `${routeTableId} ${destination} keeps its static route to ${pinned.name}: removing it would hand the prefix to ${p.name} (BGP, ECMP) before its hold-down`,
        }),
      ),
    );
    return;
  }
  out.actions.push({
    type: 'tgw-route-absent',
    routeTableId,
    destination,
    ...(route.attachmentId === undefined ? {} : { previousAttachmentId: route.attachmentId }),
  });
}
