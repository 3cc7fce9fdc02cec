/**
 * The twin's data plane: would a packet from a VPC (or entering a TGW route table) reach `to`? It follows
 * the effective routes hop by hop, the way a probe from an instance would, and needs a tunnel that is UP
 * and passing traffic at the end: an UP tunnel that passes nothing (gray failure) still attracts the
 * traffic, because routes follow the control plane, and drops it.
 */

import { cidrContains, parseIpv4, parseIpv4Cidr } from '../config/cidr.js';
import { TwinError } from './errors.js';
import {
  longestMatch,
  selectTgwRoute,
  selectVpcRoute,
  vpcAttachment,
  vpnPrefixes,
  vpnsOnVgw,
} from './routing.js';
import {
  findAttachment,
  findRouteTable,
  findTgwRouteTable,
  findVgw,
  findVpc,
  findVpn,
  type TwinTunnel,
  type TwinVpnConnection,
  type TwinWorld,
} from './state.js';

/** Exactly one `from…`: a VPC (its main route table, else its first), a VPC route table, or a TGW route table. */
export interface ProbeRequest {
  readonly to: string;
  readonly fromVpcId?: string;
  readonly fromRouteTableId?: string;
  readonly fromTgwRouteTableId?: string;
}

export interface ProbeResult {
  readonly reachable: boolean;
  /** The resources the packet went through, in order: route tables, gateways, attachments, VPNs, tunnels. */
  readonly hops: readonly string[];
  /** Why it arrived or where it was dropped, in words. */
  readonly reason: string;
}

/** Enough for a TGW → VPC → TGW loop to be reported instead of followed forever. */
const MAX_TABLES = 8;

export function probe(world: TwinWorld, request: ProbeRequest): ProbeResult {
  const from = [request.fromVpcId, request.fromRouteTableId, request.fromTgwRouteTableId].filter(
    (f) => f !== undefined,
  );
  if (from.length !== 1)
    throw new TwinError('probe: give exactly one of fromVpcId, fromRouteTableId, fromTgwRouteTableId');
  if (parseIpv4(request.to) === undefined) throw new TwinError(`probe: ${request.to} is not an IPv4 address`);
  const walk = new Walk(world, request.to);
  if (request.fromTgwRouteTableId !== undefined) return walk.tgwTable(request.fromTgwRouteTableId);
  const tableId = request.fromRouteTableId ?? vpcRouteTableId(world, request.fromVpcId ?? '');
  return walk.vpcTable(tableId);
}

function vpcRouteTableId(world: TwinWorld, vpcId: string): string {
  const tables = world.routeTables.filter((t) => t.vpcId === vpcId);
  const table = tables.find((t) => t.main) ?? tables[0];
  if (table === undefined) throw new TwinError(`probe: VPC ${vpcId} has no route table in the twin`);
  return table.id;
}

class Walk {
  readonly #hops: string[] = [];
  #tables = 0;

  public constructor(
    private readonly world: TwinWorld,
    private readonly to: string,
  ) {}

  public vpcTable(routeTableId: string): ProbeResult {
    if (findRouteTable(this.world, routeTableId) === undefined) {
      throw new TwinError(`probe: no VPC route table ${routeTableId} in the twin`);
    }
    if (++this.#tables > MAX_TABLES) return this.drop('routing loop');
    this.#hops.push(routeTableId);
    const route = selectVpcRoute(this.world, routeTableId, this.to);
    if (route === undefined) return this.drop(`${routeTableId} has no route to ${this.to}`);
    if (route.state === 'blackhole')
      return this.drop(`${routeTableId} route ${route.destination} is a blackhole`);
    const { param, id } = route.target;
    if (id === 'local') return this.arrive(`${this.to} is inside the VPC (${route.destination} local)`);
    if (param === 'GatewayId' && id.startsWith('vgw-')) return this.vgw(id);
    if (param === 'TransitGatewayId') return this.fromVpcIntoTgw(routeTableId, id);
    if (param === 'NetworkInterfaceId') {
      this.#hops.push(id);
      return this.arrive(`${route.destination} goes to the appliance ${id}, assumed to forward`);
    }
    return this.drop(`${routeTableId} sends ${route.destination} to ${id}, which the twin does not model`);
  }

  public tgwTable(tgwRouteTableId: string): ProbeResult {
    if (findTgwRouteTable(this.world, tgwRouteTableId) === undefined) {
      throw new TwinError(`probe: no TGW route table ${tgwRouteTableId} in the twin`);
    }
    if (++this.#tables > MAX_TABLES) return this.drop('routing loop');
    this.#hops.push(tgwRouteTableId);
    const route = selectTgwRoute(this.world, tgwRouteTableId, this.to);
    if (route === undefined) return this.drop(`${tgwRouteTableId} has no route to ${this.to}`);
    if (route.state === 'blackhole' || route.attachmentId === undefined) {
      return this.drop(`${tgwRouteTableId} route ${route.destination} is a blackhole`);
    }
    const attachment = findAttachment(this.world, route.attachmentId);
    if (attachment === undefined) return this.drop(`attachment ${route.attachmentId} does not exist`);
    this.#hops.push(attachment.id);
    if (attachment.resourceType === 'vpn') {
      const vpn = findVpn(this.world, attachment.resourceId);
      return vpn === undefined ? this.drop(`VPN ${attachment.resourceId} does not exist`) : this.vpn(vpn);
    }
    const vpc = findVpc(this.world, attachment.resourceId);
    const inside = vpc !== undefined && contains(vpc.cidr, this.to);
    return inside
      ? this.arrive(`${this.to} is inside ${vpc.id} (${vpc.cidr})`)
      : this.drop(`${attachment.id} leads to ${attachment.resourceId}, which does not hold ${this.to}`);
  }

  private fromVpcIntoTgw(routeTableId: string, tgwId: string): ProbeResult {
    this.#hops.push(tgwId);
    const vpcId = findRouteTable(this.world, routeTableId)?.vpcId ?? '';
    const attachment = vpcAttachment(this.world, tgwId, vpcId);
    if (attachment === undefined) return this.drop(`${vpcId} has no attachment to ${tgwId}`);
    this.#hops.push(attachment.id);
    if (attachment.associatedRouteTableId === undefined) {
      return this.drop(`${attachment.id} is associated with no TGW route table`);
    }
    return this.tgwTable(attachment.associatedRouteTableId);
  }

  /**
   * Inside a VGW: the VPN with the longest prefix for the address among those with a tunnel UP; for an
   * equal prefix static beats BGP, then the shortest AS_PATH, then the lowest MED (fact sheet §4, "Inside
   * a VGW"; the twin takes the first AS of every path to be the same customer ASN, so MED always counts).
   */
  private vgw(vgwId: string): ProbeResult {
    this.#hops.push(vgwId);
    if (findVgw(this.world, vgwId) === undefined) return this.drop(`VGW ${vgwId} does not exist`);
    const offers = vpnsOnVgw(this.world, vgwId).flatMap((vpn) =>
      vpnPrefixes(vpn).map((destination) => ({ destination, vpn })),
    );
    const best = longestMatch(offers, this.to, (o) => vgwRank(o.vpn));
    if (best === undefined) return this.drop(`${vgwId} has no VPN with a tunnel UP carrying ${this.to}`);
    return this.vpn(best.vpn);
  }

  private vpn(vpn: TwinVpnConnection): ProbeResult {
    this.#hops.push(vpn.id);
    const up = vpn.tunnels.filter((t) => t.status === 'UP');
    if (up.length === 0) return this.drop(`${vpn.id} has no tunnel UP`);
    if (vpn.staticRoutesOnly) return this.staticVpn(vpn, up);
    const passing = up.find((t) => t.trafficPassing);
    if (passing === undefined) {
      return this.drop(`${vpn.id} has tunnels UP but none passes traffic (gray failure)`);
    }
    this.#hops.push(passing.outsideIp);
    return this.arrive(`${this.to} reached through ${vpn.id} tunnel ${passing.outsideIp}`);
  }

  /**
   * A static VPN sends over one tunnel at a time, AWS's choice, and moves only when that tunnel goes DOWN
   * (fact sheet §6, §8 "Static active/active"): an UP tunnel that passes nothing is an outage for the VPN
   * even while the other tunnel would pass traffic.
   */
  private staticVpn(vpn: TwinVpnConnection, up: readonly TwinTunnel[]): ProbeResult {
    const active = up.find((t) => t.outsideIp === vpn.preferredTunnelIp) ?? up[0];
    if (active === undefined) return this.drop(`${vpn.id} has no tunnel UP`);
    this.#hops.push(active.outsideIp);
    if (!active.trafficPassing) {
      return this.drop(
        `${vpn.id} sends over ${active.outsideIp}, which is UP but passes no traffic (gray failure; AWS uses one tunnel of a static VPN)`,
      );
    }
    return this.arrive(`${this.to} reached through ${vpn.id} tunnel ${active.outsideIp}`);
  }

  private arrive(reason: string): ProbeResult {
    return { reachable: true, hops: [...this.#hops], reason };
  }

  private drop(reason: string): ProbeResult {
    return { reachable: false, hops: [...this.#hops], reason };
  }
}

/** Rank inside a VGW for an equal prefix (lower wins): static, then BGP by AS_PATH length, then MED. */
function vgwRank(vpn: TwinVpnConnection): number {
  if (vpn.staticRoutesOnly) return 0;
  const MED_RANGE = 2 ** 32;
  return 1 + (vpn.bgpAsPathLength ?? 1) * MED_RANGE + (vpn.bgpMed ?? 0);
}

function contains(cidrText: string, ip: string): boolean {
  const c = parseIpv4Cidr(cidrText);
  const address = parseIpv4(ip);
  return c !== undefined && address !== undefined && cidrContains(c, address);
}
