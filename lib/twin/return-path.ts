/**
 * The return path (on-prem → AWS): which VPN connection the customer side sends a site's traffic into.
 * AWS decides only the forward path (its route tables, probe.ts); the return path is the customer
 * router's choice, and AWS documents nothing about it. The twin models it from the topology's `onPrem`
 * networks:
 * - a BGP VPN carries the return traffic while its BGP session is established — a tunnel UP with
 *   accepted routes (the customer router then has the VPC CIDR from it) — by preference: the highest
 *   `localPref`, else the order listed;
 * - a static VPN carries it as the customer's static configuration says: `staticFollows: tunnel` (the
 *   default: the customer's route leaves with the IPsec SA, as a route-based VPN with DPD does) or
 *   `pinned` (a static route that stays whatever the tunnel does — traffic into a dead tunnel is lost).
 * Both are configurable because both exist in customers' networks; drills can try either.
 */
import { cidrContains, parseIpv4, parseIpv4Cidr } from '../config/cidr.js';
import { probe } from './probe.js';
import type { OnPremNetwork, OnPremReturn, TwinVpnConnection, TwinWorld } from './state.js';

export interface PathEnd {
  /** The VPN connection the traffic crosses; undefined when it crosses none (dropped or unknown). */
  readonly vpnId?: string;
  readonly reason: string;
}

const bgpEstablished = (vpn: TwinVpnConnection) =>
  vpn.tunnels.some((t) => t.status === 'UP' && t.acceptedRouteCount > 0);

/** Whether the customer side sends traffic into this VPN now. */
function carries(world: TwinWorld, choice: OnPremReturn): boolean {
  const vpn = world.vpnConnections.find((v) => v.id === choice.vpn);
  if (vpn === undefined || vpn.state !== 'available') return false;
  if (!vpn.staticRoutesOnly) return bgpEstablished(vpn);
  return (choice.staticFollows ?? 'tunnel') === 'pinned' || vpn.tunnels.some((t) => t.status === 'UP');
}

/** The on-prem network an address belongs to. */
export function onPremNetworkOf(world: TwinWorld, address: string): OnPremNetwork | undefined {
  const ip = parseIpv4(address);
  if (ip === undefined) return undefined;
  return world.onPrem?.find((n) =>
    n.prefixes.some((p) => {
      const cidr = parseIpv4Cidr(p);
      return cidr !== undefined && cidrContains(cidr, ip);
    }),
  );
}

/** The VPN on-prem sends traffic from `address` to AWS through, by the customer's preference. */
export function returnPath(world: TwinWorld, address: string): PathEnd {
  const network = onPremNetworkOf(world, address);
  if (network === undefined) return { reason: `no onPrem network of the topology holds ${address}` };
  const ranked = network.returnPaths
    .map((choice, order) => ({ choice, order }))
    .sort((a, b) => (b.choice.localPref ?? 0) - (a.choice.localPref ?? 0) || a.order - b.order);
  const chosen = ranked.find(({ choice }) => carries(world, choice));
  if (chosen === undefined) return { reason: `no VPN of ${address}'s network carries traffic back` };
  return { vpnId: chosen.choice.vpn, reason: `on-prem prefers ${chosen.choice.vpn}` };
}

/** The VPN AWS sends traffic from a VPC (or TGW route table) to `address` through: the data plane's walk. */
export function forwardPath(world: TwinWorld, from: string, address: string): PathEnd {
  const result = probe(
    world,
    from.startsWith('tgw-rtb-')
      ? { to: address, fromTgwRouteTableId: from }
      : { to: address, fromVpcId: from },
  );
  const vpnId = [...result.hops].reverse().find((h) => h.startsWith('vpn-'));
  return vpnId === undefined ? { reason: result.reason } : { vpnId, reason: result.reason };
}

/** The two directions between a VPC (or TGW route table) and an on-prem address, and whether they agree. */
export function pathsBetween(
  world: TwinWorld,
  from: string,
  address: string,
): { readonly forward: PathEnd; readonly back: PathEnd; readonly asymmetric: boolean } {
  const forward = forwardPath(world, from, address);
  const back = returnPath(world, address);
  // Only two known, different VPNs are asymmetric: a dropped direction is an outage, not asymmetry.
  const asymmetric = forward.vpnId !== undefined && back.vpnId !== undefined && forward.vpnId !== back.vpnId;
  return { forward, back, asymmetric };
}

/** A watched pair's asymmetric windows, sampled every twin minute. */
export interface AsymmetryRecord {
  /** When the current asymmetric window began (epoch ms); undefined while symmetric. */
  openSince?: number;
  /** The longest window that ended, in ms. */
  longestClosedMs: number;
  samples: number;
}

/** Measures how long the two directions differ, for drills: `watch` a pair, `sample` each minute. */
export class AsymmetryMeter {
  readonly #records = new Map<string, AsymmetryRecord>();

  public watch(from: string, address: string): void {
    const key = `${from}→${address}`;
    if (!this.#records.has(key)) this.#records.set(key, { longestClosedMs: 0, samples: 0 });
  }

  public sample(world: TwinWorld, now: number): void {
    for (const [key, record] of this.#records) {
      const [from = '', address = ''] = key.split('→');
      const { asymmetric } = pathsBetween(world, from, address);
      record.samples += 1;
      if (asymmetric && record.openSince === undefined) record.openSince = now;
      if (!asymmetric && record.openSince !== undefined) {
        record.longestClosedMs = Math.max(record.longestClosedMs, now - record.openSince);
        delete record.openSince;
      }
    }
  }

  /** The longest asymmetric window so far (one still open counts up to `now`); undefined if not watched. */
  public longestMs(from: string, address: string, now: number): number | undefined {
    const record = this.#records.get(`${from}→${address}`);
    if (record === undefined) return undefined;
    const open = record.openSince === undefined ? 0 : now - record.openSince;
    return Math.max(record.longestClosedMs, open);
  }
}
