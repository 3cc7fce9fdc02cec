/**
 * Longest-prefix matching over observed routes (fact sheet §4): which route really carries a site's
 * prefix or one of its addresses, and which more-specific routes steal part of it. Pure.
 */
import {
  cidrContains,
  cidrsOverlap,
  formatIpv4,
  type Ipv4Cidr,
  parseIpv4,
  parseIpv4Cidr,
} from '../config/cidr.js';
import type { SiteConfig } from '../config/schema.js';
import { type TgwRoute, tgwRouteAttachments, type VpcRoute } from '../domain/snapshot.js';

/** How a route's destination relates to a prefix: the same, covering it, or inside it. */
export type PrefixRelation = 'exact' | 'covering' | 'more-specific' | 'unrelated';

function base(c: Ipv4Cidr): number {
  return c.network - (c.network % 2 ** (32 - c.length));
}

export function prefixRelation(destination: string, prefix: string): PrefixRelation {
  const route = parseIpv4Cidr(destination);
  const site = parseIpv4Cidr(prefix);
  if (route === undefined || site === undefined) return 'unrelated';
  if (route.length <= site.length && cidrContains(route, base(site)))
    return route.length === site.length ? 'exact' : 'covering';
  if (route.length > site.length && cidrContains(site, base(route))) return 'more-specific';
  return 'unrelated';
}

/** VPC route priority for an equal prefix (fact sheet §4): local, then static, then propagated. */
function vpcRank(route: VpcRoute): number {
  if (route.origin === 'CreateRouteTable') return 0;
  if (route.origin === 'CreateRoute') return 1;
  return 2;
}

/** TGW: a static route beats a propagated one for the same prefix. */
function tgwRank(route: TgwRoute): number {
  return route.type === 'static' ? 0 : 1;
}

/**
 * Longest destination satisfying `fits`; for equal lengths the lowest rank. A blackhole route takes part:
 * it still wins the match and drops the traffic, so the caller reads its state.
 */
function longest<T extends { readonly destination: string }>(
  routes: readonly T[],
  fits: (destination: Ipv4Cidr) => boolean,
  rank: (route: T) => number,
): T | undefined {
  let best: { route: T; length: number; rank: number } | undefined;
  for (const route of routes) {
    const c = parseIpv4Cidr(route.destination);
    if (c === undefined || !fits(c)) continue;
    const r = rank(route);
    if (best === undefined || c.length > best.length || (c.length === best.length && r < best.rank))
      best = { route, length: c.length, rank: r };
  }
  return best?.route;
}

/**
 * The route a VPC table forwards `address` along: longest prefix, then local > static > propagated; a
 * propagated route overlapping the VPC's local route never applies, even a more specific one (fact
 * sheet §4, as the twin's routing.ts has it).
 */
export function vpcRouteForAddress(routes: readonly VpcRoute[], address: string): VpcRoute | undefined {
  const ip = parseIpv4(address);
  if (ip === undefined) return undefined;
  const locals = routes.flatMap((r) => {
    const c = r.origin === 'CreateRouteTable' ? parseIpv4Cidr(r.destination) : undefined;
    return c === undefined ? [] : [c];
  });
  const usable = routes.filter((r) => {
    const c = parseIpv4Cidr(r.destination);
    return (
      r.origin !== 'EnableVgwRoutePropagation' || c === undefined || !locals.some((l) => cidrsOverlap(l, c))
    );
  });
  return longest(usable, (c) => cidrContains(c, ip), vpcRank);
}

/** The route a TGW table forwards `address` along: longest prefix, then static > propagated. */
export function tgwRouteForAddress(routes: readonly TgwRoute[], address: string): TgwRoute | undefined {
  const ip = parseIpv4(address);
  if (ip === undefined) return undefined;
  return longest(routes, (c) => cidrContains(c, ip), tgwRank);
}

/**
 * The route that carries a whole prefix in a VPC table: the longest route equal to or covering
 * it (an aggregate counts), leaving out the routes `except` names — how removing an override is judged.
 */
export function vpcCarrierOfPrefix(
  routes: readonly VpcRoute[],
  prefix: string,
  except: (route: VpcRoute) => boolean = () => false,
): VpcRoute | undefined {
  const candidates = routes.filter((r) => {
    const relation = prefixRelation(r.destination, prefix);
    return !except(r) && (relation === 'exact' || relation === 'covering');
  });
  return longest(candidates, () => true, vpcRank);
}

/** The route that carries a whole prefix in a TGW table: the longest route equal to or covering it. */
export function tgwCarrierOfPrefix(routes: readonly TgwRoute[], prefix: string): TgwRoute | undefined {
  const candidates = routes.filter((r) => {
    const relation = prefixRelation(r.destination, prefix);
    return relation === 'exact' || relation === 'covering';
  });
  return longest(candidates, () => true, tgwRank);
}

/**
 * The address whose effective route tells where a site's traffic goes: the configured `probeAddress`,
 * or the first host of the site's first prefix (the network address itself for a /31 or /32).
 */
export function probeAddressOf(site: Pick<SiteConfig, 'prefixes' | 'probeAddress'>): string | undefined {
  if (site.probeAddress !== undefined) return site.probeAddress;
  const first = site.prefixes[0];
  const c = first === undefined ? undefined : parseIpv4Cidr(first);
  if (c === undefined) return undefined;
  return formatIpv4(base(c) + (c.length >= 31 ? 0 : 1));
}

/** What a VPC route forwards to, as one comparable string. */
export function vpcRouteTarget(route: VpcRoute): string {
  return route.target.id;
}

/** What a TGW route forwards to (every attachment of an ECMP route), as one comparable string. */
export function tgwRouteTarget(route: TgwRoute): string {
  const attachments = tgwRouteAttachments(route);
  return attachments.length === 0 ? 'blackhole' : [...attachments].sort().join(', ');
}
