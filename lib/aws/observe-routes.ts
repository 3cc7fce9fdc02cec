/** Reads VPC and transit gateway route tables into the snapshot's terms. */
import {
  DescribeRouteTablesCommand,
  type DescribeRouteTablesCommandOutput,
  type EC2Client,
  type Route,
  type RouteTable,
  SearchTransitGatewayRoutesCommand,
  type SearchTransitGatewayRoutesCommandOutput,
  type TransitGatewayRoute,
} from '@aws-sdk/client-ec2';
import {
  type RouteScope,
  type RouteTarget,
  type Snapshot,
  type TgwRoute,
  type TgwRouteTableState,
  VPC_TARGET_PREFIXES,
  type VpcRoute,
  type VpcRouteOrigin,
  type VpcRouteTableState,
} from '../domain/snapshot.js';
import { awsErrorCode } from './ec2-errors.js';
import { expectOneOf, ObserveError, sdkFailure } from './errors.js';
import { tagsOf } from './observe-vpn.js';

const DESCRIBE = 'DescribeRouteTables';
const SEARCH = 'SearchTransitGatewayRoutes';
// The values the snapshot can represent; anything else raises (see expectOneOf).
const VPC_ORIGINS: readonly VpcRouteOrigin[] = [
  'CreateRouteTable',
  'CreateRoute',
  'EnableVgwRoutePropagation',
  'Advertisement',
];
const VPC_STATES: readonly VpcRoute['state'][] = ['active', 'blackhole', 'filtered'];
const TGW_TYPES: readonly TgwRoute['type'][] = ['static', 'propagated'];
const TGW_STATES: readonly TgwRoute['state'][] = ['pending', 'active', 'blackhole', 'deleting', 'deleted'];

/** DescribeRouteTables for the VPC tables and one SearchTransitGatewayRoutes per TGW table, concurrently. */
export async function observeRoutes(
  ec2: EC2Client,
  scope: RouteScope,
): Promise<Pick<Snapshot, 'vpcRouteTables' | 'tgwRouteTables'>> {
  const [vpcRouteTables, tgwRouteTables] = await Promise.all([
    observeVpcRouteTables(ec2, [...new Set(scope.vpcRouteTableIds)]),
    observeTgwRouteTables(ec2, scope.tgwRouteTables),
  ]);
  return { vpcRouteTables, tgwRouteTables };
}

/**
 * A `route-table-id` filter rather than RouteTableIds: an unknown id is then simply absent (the policy reports
 * it as missing) instead of failing the call for every table, and the answer pages with NextToken.
 */
async function observeVpcRouteTables(
  ec2: EC2Client,
  ids: readonly string[],
): Promise<Record<string, VpcRouteTableState>> {
  const result: Record<string, VpcRouteTableState> = {};
  if (ids.length === 0) return result;
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  do {
    let page: DescribeRouteTablesCommandOutput;
    try {
      page = await ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [{ Name: 'route-table-id', Values: [...ids] }],
          MaxResults: 100,
          NextToken: nextToken,
        }),
      );
    } catch (err) {
      throw sdkFailure(DESCRIBE, ids, err);
    }
    for (const table of page.RouteTables ?? []) {
      const state = toVpcRouteTableState(table);
      result[state.routeTableId] = state;
    }
    nextToken = page.NextToken === '' ? undefined : page.NextToken;
    // A token that comes back twice would loop until the Lambda times out; fail fast instead.
    if (nextToken !== undefined && seenTokens.has(nextToken)) {
      throw new ObserveError(`${DESCRIBE} ${ids.join(', ')}: NextToken repeated, pagination does not end`);
    }
    if (nextToken !== undefined) seenTokens.add(nextToken);
  } while (nextToken !== undefined);
  return result;
}

function toVpcRouteTableState(t: RouteTable): VpcRouteTableState {
  const routeTableId = t.RouteTableId;
  if (routeTableId === undefined) throw new ObserveError(`${DESCRIBE}: a route table without RouteTableId`);
  const where = `${DESCRIBE} ${routeTableId}`;
  if (t.VpcId === undefined) throw new ObserveError(`${where}: VpcId is missing`);
  return {
    routeTableId,
    vpcId: t.VpcId,
    // IPv6 and prefix-list routes have no DestinationCidrBlock; on-prem prefixes are IPv4 CIDRs.
    routes: (t.Routes ?? []).flatMap((r) =>
      r.DestinationCidrBlock === undefined ? [] : [toVpcRoute(r, r.DestinationCidrBlock, where)],
    ),
    propagatingGateways: (t.PropagatingVgws ?? []).flatMap((p) =>
      p.GatewayId === undefined ? [] : [p.GatewayId],
    ),
    tags: tagsOf(t.Tags),
  };
}

function toVpcRoute(r: Route, destination: string, where: string): VpcRoute {
  const at = `${where} route ${destination}`;
  return {
    destination,
    target: targetOf(r),
    origin: expectOneOf(r.Origin, VPC_ORIGINS, `${at} Origin`),
    state: expectOneOf(r.State ?? 'active', VPC_STATES, `${at} State`),
  };
}

function targetOf(r: Route): RouteTarget {
  if (r.GatewayId === 'local') return { kind: 'local', id: 'local' };
  if (r.GatewayId?.startsWith(VPC_TARGET_PREFIXES['vpn-gateway']))
    return { kind: 'vpn-gateway', id: r.GatewayId };
  if (r.TransitGatewayId !== undefined) return { kind: 'transit-gateway', id: r.TransitGatewayId };
  // An instance route carries both InstanceId and NetworkInterfaceId; the ENI is what the config names.
  if (r.NetworkInterfaceId !== undefined) return { kind: 'network-interface', id: r.NetworkInterfaceId };
  const id = [
    r.GatewayId, // igw-, vpce- (Gateway Load Balancer endpoint), …
    r.NatGatewayId,
    r.VpcPeeringConnectionId,
    r.EgressOnlyInternetGatewayId,
    r.InstanceId,
    r.LocalGatewayId,
    r.CarrierGatewayId,
    r.CoreNetworkArn,
    r.OdbNetworkArn,
  ].find((candidate) => candidate !== undefined);
  return { kind: 'other', id: id ?? '' };
}

async function observeTgwRouteTables(
  ec2: EC2Client,
  scope: RouteScope['tgwRouteTables'],
): Promise<Record<string, TgwRouteTableState>> {
  // Entries naming the same table are merged so that each table is searched once (per filter).
  const byTable = new Map<string, { destinations: Set<string>; covering: boolean }>();
  for (const { routeTableId, destinations, covering } of scope) {
    const seen = byTable.get(routeTableId);
    byTable.set(routeTableId, {
      destinations: new Set([...(seen?.destinations ?? []), ...destinations]),
      covering: seen?.covering === true || covering === true,
    });
  }
  const tables = await Promise.all(
    [...byTable].map(([routeTableId, { destinations, covering }]) =>
      covering
        ? searchCovering(ec2, routeTableId, [...destinations])
        : searchTable(ec2, routeTableId, [...destinations]),
    ),
  );
  const result: Record<string, TgwRouteTableState> = {};
  for (const table of tables) if (table !== undefined) result[table.routeTableId] = table;
  return result;
}

/**
 * The table's routes for these destinations exactly, covering them (aggregates, at most 32 per
 * prefix, so a truncated answer is refused like an exact one) and inside them (shadowing routes: a
 * big table may hold more than one answer, and then the table says its list is incomplete rather
 * than failing the whole observation). Three bounded calls, concurrently (two for host routes).
 */
async function searchCovering(
  ec2: EC2Client,
  routeTableId: string,
  destinations: readonly string[],
): Promise<TgwRouteTableState | undefined> {
  // Nothing is more specific than a host route: for host addresses alone (the effective-route read-back
  // asks about a site's probe address as a /32) the search inside them is a call that cannot find anything.
  const nothingInside: TgwRouteTableState = { routeTableId, routes: [] };
  const [exact, supernets, subnets] = await Promise.all([
    searchTable(ec2, routeTableId, destinations),
    searchTable(ec2, routeTableId, destinations, 'route-search.supernet-of-match'),
    destinations.every(isHostRoute)
      ? nothingInside
      : searchTable(ec2, routeTableId, destinations, 'route-search.subnet-of-match', 'flag'),
  ]);
  if (exact === undefined || supernets === undefined || subnets === undefined) return undefined;
  const routes = new Map<string, TgwRoute>();
  for (const r of [...exact.routes, ...supernets.routes, ...subnets.routes]) {
    const key = `${r.destination} ${r.type}`;
    if (!routes.has(key)) routes.set(key, r);
  }
  return {
    routeTableId,
    routes: [...routes.values()],
    ...(subnets.moreSpecificIncomplete === true ? { moreSpecificIncomplete: true as const } : {}),
  };
}

const isHostRoute = (cidr: string) => cidr.endsWith('/32') || cidr.endsWith('/128');

type RouteSearchFilter =
  | 'route-search.exact-match'
  | 'route-search.supernet-of-match'
  | 'route-search.subnet-of-match';

/** The table's routes matching these destinations by `filter`; undefined when the table does not exist. */
async function searchTable(
  ec2: EC2Client,
  routeTableId: string,
  destinations: readonly string[],
  filter: RouteSearchFilter = 'route-search.exact-match',
  onTruncated: 'refuse' | 'flag' = 'refuse',
): Promise<TgwRouteTableState | undefined> {
  // The filter needs at least one value, and a table asked about no prefix has none to report.
  if (destinations.length === 0) return { routeTableId, routes: [] };
  const where = `${SEARCH} ${routeTableId}`;
  let out: SearchTransitGatewayRoutesCommandOutput;
  try {
    out = await ec2.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: routeTableId,
        Filters: [{ Name: filter, Values: [...destinations] }],
        MaxResults: 1000,
      }),
    );
  } catch (err) {
    // A deleted or mistyped table is left out so the policy reports it missing and still acts on the others.
    if (awsErrorCode(err) === 'InvalidRouteTableID.NotFound') return undefined;
    throw sdkFailure(SEARCH, [routeTableId], err);
  }
  // Exact matches on a few prefixes cannot reach 1000 routes, so a truncated answer means something is
  // wrong, and acting on part of a table could delete or replace the wrong route. (Newer SDKs also return
  // a NextToken; either sign of truncation is refused rather than paged.)
  const truncated =
    out.AdditionalRoutesAvailable === true || (out.NextToken !== undefined && out.NextToken !== '');
  if (truncated && onTruncated === 'refuse') {
    throw new ObserveError(
      `${where} answer is truncated (AdditionalRoutesAvailable) for ${filter.replace('route-search.', '')} on ${destinations.join(', ')}`,
    );
  }
  return {
    routeTableId,
    routes: (out.Routes ?? []).flatMap((r) => toTgwRoute(r, where)),
    ...(truncated ? { moreSpecificIncomplete: true as const } : {}),
  };
}

function toTgwRoute(r: TransitGatewayRoute, where: string): TgwRoute[] {
  const destination = r.DestinationCidrBlock;
  // Prefix-list routes have no CIDR of their own; they are never the on-prem prefixes asked about.
  if (destination === undefined || r.PrefixListId !== undefined) return [];
  const at = `${where} route ${destination}`;
  // An ECMP route lists every attachment it spreads over (fact sheet §8): all are kept, so the policy
  // sees that the route already uses a path and never pins one of them with a static route.
  const attachmentIds = (r.TransitGatewayAttachments ?? []).flatMap((a) =>
    a.TransitGatewayAttachmentId === undefined ? [] : [a.TransitGatewayAttachmentId],
  );
  const attachmentId = attachmentIds[0];
  return [
    {
      destination,
      // A blackhole route has no attachment: the key is left out, never set to undefined.
      ...(attachmentId === undefined ? {} : { attachmentId }),
      ...(attachmentIds.length > 1 ? { attachmentIds } : {}),
      type: expectOneOf(r.Type, TGW_TYPES, `${at} Type`),
      state: expectOneOf(r.State, TGW_STATES, `${at} State`),
    },
  ];
}
