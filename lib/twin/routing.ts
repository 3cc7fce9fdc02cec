/**
 * Effective routes, computed from the world with AWS's priority rules (fact sheet §4). Describe calls
 * list them and the data plane (probe.ts) forwards along them, so both always agree.
 */
import { cidrContains, cidrsOverlap, parseIpv4, parseIpv4Cidr } from '../config/cidr.js';
import { TwinError } from './errors.js';
import {
  findAttachment,
  findRouteTable,
  findTgw,
  findTgwRouteTable,
  findVgw,
  findVpc,
  findVpn,
  hasTunnelUp,
  type TwinRouteTable,
  type TwinRouteTarget,
  type TwinVpnConnection,
  type TwinWorld,
} from './state.js';

export type VpcRouteOrigin = 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';

export interface EffectiveVpcRoute {
  readonly destination: string;
  /** The local route's target is `GatewayId: local`, as AWS lists it. */
  readonly target: TwinRouteTarget;
  readonly origin: VpcRouteOrigin;
  readonly state: 'active' | 'blackhole';
}

export interface EffectiveTgwRoute {
  readonly destination: string;
  /** The attachment traffic takes; for an ECMP route the first of `attachmentIds`. */
  readonly attachmentId?: string;
  /** Every attachment of an ECMP route (BGP VPN attachments, `VpnEcmpSupport` on); absent otherwise. */
  readonly attachmentIds?: readonly string[];
  readonly type: 'static' | 'propagated';
  readonly state: 'active' | 'blackhole';
}

/** The prefixes a VPN offers while it has a tunnel UP: its static routes, or what its CGW advertises (BGP). */
export function vpnPrefixes(vpn: TwinVpnConnection): string[] {
  if (vpn.state !== 'available' || !hasTunnelUp(vpn)) return [];
  return vpn.staticRoutesOnly ? vpn.staticRoutes : vpn.advertisedPrefixes;
}

/** The VPNs terminating on a VGW, in world order. */
export function vpnsOnVgw(world: TwinWorld, vgwId: string): TwinVpnConnection[] {
  return world.vpnConnections.filter((v) => v.vpnGatewayId === vgwId && v.state === 'available');
}

/**
 * What DescribeRouteTables lists for a VPC route table: the local route, the static routes, and one
 * propagated route per prefix for each VGW the table propagates, only while a VPN on that VGW has a
 * tunnel UP. A static route and a propagated route for the same prefix are both listed (AWS shows the
 * propagated route beside the static one; the static one wins, see selectVpcRoute), so tunnel-warden's
 * apply must tell them apart by Origin, as it would against AWS.
 */
export function effectiveVpcRoutes(world: TwinWorld, routeTableId: string): EffectiveVpcRoute[] {
  const table = findRouteTable(world, routeTableId);
  if (table === undefined) throw new TwinError(`no VPC route table ${routeTableId} in the twin`);
  const vpc = findVpc(world, table.vpcId);
  const local: EffectiveVpcRoute[] =
    vpc === undefined
      ? []
      : [
          {
            destination: vpc.cidr,
            target: { param: 'GatewayId', id: 'local' },
            origin: 'CreateRouteTable',
            state: 'active',
          },
        ];
  const statics = table.routes.map(
    (r): EffectiveVpcRoute => ({
      destination: r.destination,
      target: r.target,
      origin: 'CreateRoute',
      state: staticTargetState(world, table, r.target),
    }),
  );
  const propagated = table.propagatingVgws.flatMap((vgwId) =>
    propagatedFromVgw(world, vgwId, table.vpcId).map(
      (destination): EffectiveVpcRoute => ({
        destination,
        target: { param: 'GatewayId', id: vgwId },
        origin: 'EnableVgwRoutePropagation',
        state: 'active',
      }),
    ),
  );
  return [...local, ...statics, ...propagated];
}

function propagatedFromVgw(world: TwinWorld, vgwId: string, vpcId: string): string[] {
  // A VGW detached from the VPC propagates nothing into its tables.
  if (findVgw(world, vgwId)?.vpcId !== vpcId) return [];
  const offered = world.propagatedRoutesOutliveVpn === true ? vpnPrefixesEvenIfDown : vpnPrefixes;
  return unique(vpnsOnVgw(world, vgwId).flatMap(offered));
}

/**
 * The prefixes a VPN's propagated routes name, whether or not a tunnel is UP: AWS documents that "if your
 * connection is interrupted, any propagated routes in your route table are not automatically removed"
 * (fact sheet §8, UG SetUpVPNConnections.md), so with `propagatedRoutesOutliveVpn` they stay listed, and
 * the VGW drops what they attract (probe.ts finds no VPN with a tunnel UP).
 */
function vpnPrefixesEvenIfDown(vpn: TwinVpnConnection): string[] {
  if (vpn.state !== 'available') return [];
  return vpn.staticRoutesOnly ? vpn.staticRoutes : vpn.advertisedPrefixes;
}

/** A static route to a gateway the VPC cannot reach (a detached VGW, a TGW without a VPC attachment) is a blackhole. */
function staticTargetState(
  world: TwinWorld,
  table: TwinRouteTable,
  target: TwinRouteTarget,
): 'active' | 'blackhole' {
  if (target.param === 'GatewayId' && target.id.startsWith('vgw-')) {
    return findVgw(world, target.id)?.vpcId === table.vpcId ? 'active' : 'blackhole';
  }
  if (target.param === 'TransitGatewayId') {
    return vpcAttachment(world, target.id, table.vpcId) === undefined ? 'blackhole' : 'active';
  }
  return 'active';
}

/** The VPC's available attachment to a transit gateway, if any. */
export function vpcAttachment(world: TwinWorld, tgwId: string, vpcId: string) {
  return world.tgwAttachments.find(
    (a) => a.tgwId === tgwId && a.resourceType === 'vpc' && a.resourceId === vpcId && a.state === 'available',
  );
}

const VPC_RANK: Record<VpcRouteOrigin, number> = {
  CreateRouteTable: 0,
  CreateRoute: 1,
  EnableVgwRoutePropagation: 2,
};

/**
 * The route a VPC route table forwards `ip` along: longest prefix; for an equal prefix local > static >
 * propagated; and a propagated route overlapping the local route never applies, even a more specific one.
 */
export function selectVpcRoute(
  world: TwinWorld,
  routeTableId: string,
  ip: string,
): EffectiveVpcRoute | undefined {
  const routes = effectiveVpcRoutes(world, routeTableId);
  const locals = routes.filter((r) => r.origin === 'CreateRouteTable').map((r) => cidr(r.destination));
  const usable = routes.filter(
    (r) =>
      r.origin !== 'EnableVgwRoutePropagation' || !locals.some((l) => cidrsOverlap(l, cidr(r.destination))),
  );
  return longestMatch(usable, ip, (r) => VPC_RANK[r.origin]);
}

/**
 * What a TGW route table holds: its static routes, and the routes propagated from its propagating
 * attachments (a VPC's CIDR; a BGP VPN's advertised prefixes while a tunnel is UP). One route per prefix:
 * static beats propagated, VPC-propagated beats VPN-propagated. A static route to a VPN attachment does
 * not withdraw when every tunnel is DOWN: it forwards into a dead VPN (its state: staticTgwRouteState).
 */
export function effectiveTgwRoutes(world: TwinWorld, tgwRouteTableId: string): EffectiveTgwRoute[] {
  const table = findTgwRouteTable(world, tgwRouteTableId);
  if (table === undefined) throw new TwinError(`no TGW route table ${tgwRouteTableId} in the twin`);
  const byPrefix = new Map<string, EffectiveTgwRoute>();
  for (const r of table.routes) {
    const attachment = r.attachmentId === undefined ? undefined : findAttachment(world, r.attachmentId);
    byPrefix.set(canonical(r.destination), {
      destination: r.destination,
      ...(r.attachmentId === undefined ? {} : { attachmentId: r.attachmentId }),
      type: 'static',
      state: staticTgwRouteState(world, attachment),
    });
  }
  const propagated = table.propagations
    .flatMap((id) => {
      const a = findAttachment(world, id);
      return a?.state === 'available' ? [a] : [];
    })
    // VPC-propagated routes beat VPN-propagated ones for the same prefix.
    .sort((a, b) => Number(a.resourceType === 'vpn') - Number(b.resourceType === 'vpn'));
  const ecmp = findTgw(world, table.tgwId)?.vpnEcmpSupport !== false;
  for (const attachment of propagated) {
    for (const destination of attachmentPrefixes(world, attachment.resourceType, attachment.resourceId)) {
      addPropagated(world, byPrefix, { destination, attachment, ecmp });
    }
  }
  return [...byPrefix.values()];
}

/**
 * A TGW static route is a blackhole when its attachment is gone. Whether one to a VPN attachment whose
 * VPN has no tunnel UP reads `active` or `blackhole` is undocumented (fact sheet §8: "handle `active` and
 * `blackhole` alike"), so the world says which (`tgwStaticRouteOnDeadVpn`, default `active`); either way
 * no traffic passes.
 */
function staticTgwRouteState(
  world: TwinWorld,
  attachment: ReturnType<typeof findAttachment>,
): 'active' | 'blackhole' {
  if (attachment?.state !== 'available') return 'blackhole';
  if (attachment.resourceType !== 'vpn' || world.tgwStaticRouteOnDeadVpn !== 'blackhole') return 'active';
  const vpn = findVpn(world, attachment.resourceId);
  return vpn !== undefined && hasTunnelUp(vpn) ? 'active' : 'blackhole';
}

/**
 * A propagated route for one prefix: new, or one more equal-cost attachment of a VPN-propagated route;
 * a static or VPC-propagated route for the prefix wins.
 */
function addPropagated(
  world: TwinWorld,
  byPrefix: Map<string, EffectiveTgwRoute>,
  {
    destination,
    attachment,
    ecmp,
  }: { destination: string; attachment: PropagatingAttachment; ecmp: boolean },
): void {
  const key = canonical(destination);
  const existing = byPrefix.get(key);
  if (existing === undefined) {
    byPrefix.set(key, { destination, attachmentId: attachment.id, type: 'propagated', state: 'active' });
    return;
  }
  // Equal-cost paths: several BGP VPN attachments advertising the same prefix share one route when
  // the TGW has VpnEcmpSupport (fact sheet §8); without it AWS picks one, here the first propagated.
  if (!ecmp || existing.type !== 'propagated' || attachment.resourceType !== 'vpn') return;
  const first =
    existing.attachmentId === undefined ? undefined : findAttachment(world, existing.attachmentId);
  if (first?.resourceType !== 'vpn') return;
  const ids = existing.attachmentIds ?? [first.id];
  byPrefix.set(key, { ...existing, attachmentIds: [...ids, attachment.id] });
}

type PropagatingAttachment = NonNullable<ReturnType<typeof findAttachment>>;

function attachmentPrefixes(world: TwinWorld, type: 'vpn' | 'vpc', resourceId: string): string[] {
  if (type === 'vpc') {
    const vpc = findVpc(world, resourceId);
    return vpc === undefined ? [] : [vpc.cidr];
  }
  const vpn = findVpn(world, resourceId);
  // Only BGP propagates into a TGW table; a static VPN's prefixes are TGW static routes.
  return vpn === undefined || vpn.staticRoutesOnly ? [] : vpnPrefixes(vpn);
}

/** The route a TGW route table forwards `ip` along (longest prefix; one route per prefix already). */
export function selectTgwRoute(
  world: TwinWorld,
  tgwRouteTableId: string,
  ip: string,
): EffectiveTgwRoute | undefined {
  return longestMatch(effectiveTgwRoutes(world, tgwRouteTableId), ip, (r) => (r.type === 'static' ? 0 : 1));
}

/** Longest prefix containing `ip`; among equal prefixes the lowest rank; then the first listed. */
export function longestMatch<T extends { readonly destination: string }>(
  routes: readonly T[],
  ip: string,
  rank: (route: T) => number,
): T | undefined {
  const address = parseIpv4(ip);
  if (address === undefined) throw new TwinError(`${ip} is not an IPv4 address`);
  let best: { route: T; length: number; rank: number } | undefined;
  for (const route of routes) {
    const c = parseIpv4Cidr(route.destination);
    if (c === undefined || !cidrContains(c, address)) continue;
    const r = rank(route);
    if (best === undefined || c.length > best.length || (c.length === best.length && r < best.rank)) {
      best = { route, length: c.length, rank: r };
    }
  }
  return best?.route;
}

export function canonical(text: string): string {
  return parseIpv4Cidr(text)?.canonical ?? text;
}

function cidr(text: string) {
  const c = parseIpv4Cidr(text);
  if (c === undefined) throw new TwinError(`${text} is not an IPv4 CIDR`);
  return c;
}

function unique(prefixes: readonly string[]): string[] {
  const seen = new Set<string>();
  return prefixes.filter((p) => {
    const key = canonical(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
