/**
 * The managed routes a run moved, as `Route Moved` events (lib/incidents/route-moved.ts): every route
 * action that changed something, with where the route pointed before and after. Propagation and VPN
 * static-route repairs move no route of a table and are not moves.
 */
import type { SiteConfig } from '../config/schema.js';
import { actionKey, type RouteAction } from '../domain/actions.js';
import type { ActionResult } from '../domain/apply-result.js';
import type { RouteEnd, RouteMove } from '../incidents/route-moved.js';
import type { Plan } from '../policy/plan.js';

type Reason = RouteMove['reason'];

const REASONS: readonly Reason[] = ['failover', 'failback', 'repair', 'no-healthy-path'];

/** A plan that moved routes is one of these; a `steady` or `hold` plan that moved any was repairing. */
function reasonOf(plan: Plan): Reason {
  return REASONS.find((r) => r === plan.decision) ?? 'repair';
}

function pathOfTarget(site: SiteConfig, target: string | undefined): string | null {
  if (target === undefined) return null;
  const path = site.paths.find((p) => p.transitGatewayAttachment === target || p.vpcTarget?.id === target);
  return path?.name ?? null;
}

const staticEnd = (site: SiteConfig, target: string | undefined): RouteEnd =>
  target === undefined
    ? { path: null, target: null, routing: 'none' }
    : { path: pathOfTarget(site, target), target, routing: 'static' };

/** What the route carried after a static override was removed: BGP's choice, meant to be the desired path. */
const propagatedEnd = (plan: Plan): RouteEnd => ({
  path: plan.desiredPath ?? null,
  target: null,
  routing: 'propagated',
});

interface Ends {
  readonly routeTableId: string;
  readonly destination: string;
  readonly kind: 'transit-gateway' | 'vpc';
  readonly from: RouteEnd;
  readonly to: RouteEnd;
  readonly change: RouteMove['change'];
}

/**
 * The two ends of a route action, or undefined for an action that moves no route. Without a previous
 * static route, a new one overrides whatever carried the prefix (a propagated route, or nothing).
 */
function endsOf(action: RouteAction, site: SiteConfig, plan: Plan): Ends | undefined {
  switch (action.type) {
    case 'tgw-route': {
      const before = action.previousAttachmentId;
      return {
        routeTableId: action.routeTableId,
        destination: action.destination,
        kind: 'transit-gateway',
        from: staticEnd(site, before),
        to: staticEnd(site, action.attachmentId),
        change: before === undefined ? 'override-added' : 'replaced',
      };
    }
    case 'tgw-route-absent':
      return {
        routeTableId: action.routeTableId,
        destination: action.destination,
        kind: 'transit-gateway',
        from: staticEnd(site, action.previousAttachmentId),
        to: propagatedEnd(plan),
        change: 'override-removed',
      };
    case 'vpc-static-route': {
      const before = action.previousTarget?.id;
      return {
        routeTableId: action.routeTableId,
        destination: action.destination,
        kind: 'vpc',
        from: before === undefined ? propagatedOrNone(site) : staticEnd(site, before),
        to: staticEnd(site, action.target.id),
        change: before === undefined ? 'override-added' : 'replaced',
      };
    }
    case 'vpc-static-route-absent':
      return {
        routeTableId: action.routeTableId,
        destination: action.destination,
        kind: 'vpc',
        from: staticEnd(site, action.previousTarget.id),
        to: propagatedEnd(plan),
        change: 'override-removed',
      };
    default:
      return undefined;
  }
}

/** A VPC table without a static route for the prefix used the VGW's propagated route, if the site has one. */
function propagatedOrNone(site: SiteConfig): RouteEnd {
  const vgwPath = site.paths.find((p) => p.vpcTarget?.kind === 'vpn-gateway');
  return vgwPath === undefined
    ? { path: null, target: null, routing: 'none' }
    : { path: vgwPath.name, target: vgwPath.vpcTarget?.id ?? null, routing: 'propagated' };
}

/** The moves of one run, in the order they were applied; `at` is when they landed (the observation time). */
export function routeMovesOf(
  site: SiteConfig,
  plan: Plan,
  results: readonly ActionResult[],
  eventId: string,
  at: string,
): RouteMove[] {
  return results.flatMap((result): RouteMove[] => {
    if (result.outcome !== 'changed') return [];
    const ends = endsOf(result.action, site, plan);
    if (ends === undefined) return [];
    return [
      {
        moveId: `${eventId}#move#${actionKey(result.action)}`,
        site: site.name,
        prefix: ends.destination,
        routeTable: { id: ends.routeTableId, kind: ends.kind },
        from: ends.from,
        to: ends.to,
        reason: reasonOf(plan),
        change: ends.change,
        movedAt: at,
      },
    ];
  });
}
