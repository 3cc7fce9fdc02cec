/**
 * The health of a path without a VPN of its own — a transit gateway the VPC routes override to, a TGW
 * attachment, an appliance ENI — comes from what lies behind it, followed through the snapshot:
 *
 *   VPC route table → its VPC's attachment to that TGW → the TGW route table associated with it →
 *   the route for each site prefix → the attachment(s) it forwards to → that VPN's tunnels.
 *
 * Nothing is configured for this: the transit gateway (`vpcTarget: tgw-…`) and the VPC route tables
 * are in the config already, and the rest is read from AWS (observe-site). What cannot be followed to
 * tunnels — an ENI, a Direct Connect gateway, a peering or VPC attachment, an answer that was not read —
 * is *unknown*, never healthy: a backup nobody checked may be dead (busan's TGW backup was).
 */
import type { PathConfig, SiteConfig } from '../config/schema.js';
import {
  type Snapshot,
  type TgwAttachmentState,
  type TgwRoute,
  tgwRouteAttachments,
} from '../domain/snapshot.js';
import type { PathHealth } from './plan.js';
import { assessVpn, type VpnHealth } from './vpn-health.js';

/** What a path's health rests on: the site's prefixes and route tables. */
export type BehindScope = Pick<SiteConfig, 'prefixes' | 'routeTables'>;

/**
 * One thing a path depends on (a VPC table's view of a prefix through the TGW, an attachment) and how it
 * is, with the tunnels of the VPNs it reaches by VPN id: several legs may reach the same VPN, whose
 * tunnels count once.
 */
interface Leg {
  readonly health: PathHealth;
  readonly reason: string;
  readonly healthySince?: string;
  readonly tunnels: Readonly<Record<string, { readonly up: number; readonly total: number }>>;
}

const unknown = (reason: string): Leg => ({ health: 'unknown', reason, tunnels: {} });
const down = (reason: string): Leg => ({ health: 'down', reason, tunnels: {} });

const RESOURCE_WORDS: Readonly<Record<TgwAttachmentState['resourceType'], string>> = {
  vpn: 'a VPN',
  vpc: 'a VPC',
  'direct-connect-gateway': 'a Direct Connect gateway',
  peering: 'a peering',
  connect: 'a Connect',
  'network-function': 'a network function',
  other: 'an',
};

/** An attachment's health: its VPN's, or unknown when it is not a VPN (nothing to read behind it yet). */
function attachmentLeg(attachmentId: string, snapshot: Snapshot): Leg {
  const attachment = snapshot.tgwAttachments?.[attachmentId];
  if (attachment === undefined) return unknown(`${attachmentId} was not read`);
  // An attachment being modified still forwards, but nothing vouches for it until it settles.
  if (attachment.state === 'modifying') return unknown(`${attachmentId} is modifying`);
  if (attachment.state !== 'available') return down(`${attachmentId} is ${attachment.state}`);
  if (attachment.resourceType !== 'vpn' || attachment.resourceId === undefined) {
    return unknown(
      `${attachmentId} is ${RESOURCE_WORDS[attachment.resourceType]} attachment: its health cannot be observed (probes can tell, not yet)`,
    );
  }
  const { tunnelsUp, tunnelsTotal, ...vpn } = assessVpn(attachment.resourceId, snapshot);
  return {
    ...vpn,
    reason: `${attachmentId} → ${vpn.reason}`,
    tunnels: { [attachment.resourceId]: { up: tunnelsUp, total: tunnelsTotal } },
  };
}

/** The route a TGW table uses for a prefix: a static route beats a propagated one (fact sheet §4). */
function effectiveTgwRoute(routes: readonly TgwRoute[], prefix: string): TgwRoute | undefined {
  const exact = routes.filter((r) => r.destination === prefix);
  return exact.find((r) => r.type === 'static') ?? exact.find((r) => r.type === 'propagated');
}

/**
 * A TGW route carries the prefix when one of its attachments is healthy (ECMP spreads over all of
 * them, and AWS stops using a VPN attachment whose BGP withdrew); it is down when every attachment is.
 */
function routeLeg(tableId: string, prefix: string, snapshot: Snapshot): Leg {
  const table = snapshot.tgwRouteTables[tableId];
  if (table === undefined) return unknown(`${tableId} was not read`);
  const route = effectiveTgwRoute(table.routes, prefix);
  if (route === undefined) return down(`${tableId} has no route for ${prefix}`);
  if (route.state !== 'active') return down(`${tableId} routes ${prefix} to a ${route.state} route`);
  const legs = tgwRouteAttachments(route).map((a) => attachmentLeg(a, snapshot));
  const best = anyOf(legs);
  return { ...best, reason: `${tableId} ${prefix} → ${best.reason}` };
}

/** The attachment of a VPC to a transit gateway, whose association says which TGW table routes it. */
function vpcAttachment(snapshot: Snapshot, tgwId: string, vpcId: string): TgwAttachmentState | undefined {
  return Object.values(snapshot.tgwAttachments ?? {}).find(
    (a) => a.transitGatewayId === tgwId && a.resourceType === 'vpc' && a.resourceId === vpcId,
  );
}

/** Through a transit gateway, as each VPC route table of the site would send the prefixes to it. */
function transitGatewayLegs(tgwId: string, scope: BehindScope, snapshot: Snapshot): Leg[] {
  return scope.routeTables.vpc.flatMap((tableId): Leg[] => {
    const table = snapshot.vpcRouteTables[tableId];
    if (table === undefined) return [unknown(`${tableId} was not read`)];
    const attachment = vpcAttachment(snapshot, tgwId, table.vpcId);
    if (attachment === undefined)
      return [unknown(`the attachment of ${table.vpcId} to ${tgwId} was not read`)];
    if (attachment.state !== 'available') return [down(`${attachment.attachmentId} is ${attachment.state}`)];
    const rtb = attachment.associatedRouteTableId;
    if (rtb === undefined) return [down(`${attachment.attachmentId} has no associated route table`)];
    return scope.prefixes.map((prefix) => routeLeg(rtb, prefix, snapshot));
  });
}

/** What a path without a VPN rests on; empty when it has nothing that can be followed. */
function legsOf(path: PathConfig, scope: BehindScope, snapshot: Snapshot): Leg[] {
  const legs: Leg[] = [];
  if (path.transitGatewayAttachment !== undefined && scope.routeTables.transitGateway.length > 0)
    legs.push(attachmentLeg(path.transitGatewayAttachment, snapshot));
  const target = path.vpcTarget;
  if (target?.kind === 'transit-gateway' && scope.routeTables.vpc.length > 0)
    legs.push(...transitGatewayLegs(target.id, scope, snapshot));
  if (target?.kind === 'network-interface' && scope.routeTables.vpc.length > 0)
    legs.push(
      unknown(
        `${target.id} is a network interface: what lies behind it cannot be observed (probes can tell, not yet)`,
      ),
    );
  return legs;
}

/**
 * Some leg healthy → healthy (ECMP); else unknown if any is; else down. Every leg's tunnels count: a dead
 * VPN of an ECMP route is redundancy lost.
 */
function anyOf(legs: readonly Leg[]): Leg {
  const healthy = legs.filter((l) => l.health === 'healthy');
  const unknownLegs = legs.filter((l) => l.health === 'unknown');
  const chosen =
    healthy.length > 0
      ? combine('healthy', healthy, earliest)
      : unknownLegs.length > 0
        ? combine('unknown', unknownLegs, earliest)
        : legs.length === 0
          ? down('no attachment')
          : combine('down', legs, earliest);
  return { ...chosen, tunnels: Object.assign({}, ...legs.map((l) => l.tunnels)) };
}

/** Every leg must carry the traffic: down if any is, else unknown if any is, else healthy. */
function allOf(legs: readonly Leg[]): Leg {
  const downLegs = legs.filter((l) => l.health === 'down');
  if (downLegs.length > 0) return combine('down', downLegs, latest);
  const unknownLegs = legs.filter((l) => l.health === 'unknown');
  if (unknownLegs.length > 0) return combine('unknown', unknownLegs, latest);
  return combine('healthy', legs, latest);
}

const earliest = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);
const latest = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * Legs of one health (`health`, which the caller filtered them by) in one: their reasons (each once),
 * their tunnels, and when they became so.
 */
function combine(health: PathHealth, legs: readonly Leg[], pick: (a: string, b: string) => string): Leg {
  const sinces = legs.flatMap((l) => (l.healthySince === undefined ? [] : [l.healthySince]));
  const healthySince = health === 'healthy' && sinces.length > 0 ? sinces.reduce(pick) : undefined;
  return {
    health,
    reason: [...new Set(legs.map((l) => l.reason))].join('; '),
    tunnels: Object.assign({}, ...legs.map((l) => l.tunnels)),
    ...(healthySince === undefined ? {} : { healthySince }),
  };
}

/**
 * The health of a path without a VPN: healthy only when everything it rests on is known healthy —
 * every managed VPC table, through the transit gateway, reaches a VPN with a working tunnel for every
 * site prefix; down when some part is known dead (a TGW table with no route, or only dead VPNs, for a
 * prefix); unknown otherwise, and always for an ENI or a non-VPN attachment.
 */
export function assessBehind(
  path: PathConfig,
  scope: BehindScope,
  snapshot: Snapshot,
): VpnHealth & { readonly health: PathHealth } {
  const legs = legsOf(path, scope, snapshot);
  const { tunnels, ...result } =
    legs.length === 0
      ? unknown('nothing behind it can be observed (no VPN, no transit gateway)')
      : allOf(legs);
  const counts = Object.values(tunnels);
  return {
    ...result,
    reason: legs.length === 0 ? result.reason : `behind ${path.name}: ${result.reason}`,
    tunnelsUp: counts.reduce((n, c) => n + c.up, 0),
    tunnelsTotal: counts.reduce((n, c) => n + c.total, 0),
  };
}
