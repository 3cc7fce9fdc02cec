/** Read-only EC2 actions of the twin. */
import { cidrContains, parseIpv4Cidr } from '../config/cidr.js';
import { type ActionHandler, type ReadAction, read } from './ec2-actions.js';
import { routeTableXml, tgwAttachmentXml, tgwRouteXml, vpnConnectionXml } from './ec2-xml.js';
import { Ec2ApiError } from './errors.js';
import { tgwRouteTableOrThrow } from './mutations-routes.js';
import { tunnelOrThrow, vpnOrThrow } from './mutations-vpn.js';
import {
  applyFilters,
  filters,
  int,
  list,
  paginate,
  required,
  requireIds,
  tagFilterValues,
} from './query.js';
import { canonical, type EffectiveTgwRoute, effectiveTgwRoutes, longestMatch } from './routing.js';
import { findAttachment, findRouteTable } from './state.js';
import { el, node, set } from './xml.js';

const describeVpnConnections: ActionHandler = ({ world }, params) => {
  const ids = list(params, 'VpnConnectionId');
  const base =
    ids.length === 0
      ? world.vpnConnections
      : requireIds(
          ids,
          (id) => world.vpnConnections.find((v) => v.id === id),
          'InvalidVpnConnectionID.NotFound',
          'vpnConnection',
        );
  const found = applyFilters(base, filters(params), (v, name) => {
    switch (name) {
      case 'vpn-connection-id':
        return [v.id];
      case 'state':
        return [v.state];
      case 'type':
        return ['ipsec.1'];
      case 'customer-gateway-id':
        return [v.customerGatewayId];
      case 'vpn-gateway-id':
        return v.vpnGatewayId === undefined ? [] : [v.vpnGatewayId];
      case 'transit-gateway-id':
        return v.transitGatewayId === undefined ? [] : [v.transitGatewayId];
      case 'option.static-routes-only':
        return [String(v.staticRoutesOnly)];
      case 'route.destination-cidr-block':
        return v.staticRoutes;
      default:
        return tagFilterValues(v.tags, name);
    }
  });
  return set('vpnConnectionSet', found, vpnConnectionXml);
};

const describeRouteTables: ActionHandler = ({ world }, params) => {
  const ids = list(params, 'RouteTableId');
  const base =
    ids.length === 0
      ? world.routeTables
      : requireIds(ids, (id) => findRouteTable(world, id), 'InvalidRouteTableID.NotFound', 'routeTable');
  const found = applyFilters(base, filters(params), (t, name) => {
    switch (name) {
      case 'route-table-id':
        return [t.id];
      case 'vpc-id':
        return [t.vpcId];
      case 'association.main':
        return [String(t.main)];
      case 'owner-id':
        return [world.accountId];
      default:
        return tagFilterValues(t.tags, name);
    }
  });
  const { page, nextToken } = paginate(found, params, 5, 100);
  return set('routeTableSet', page, (t) => routeTableXml(world, t)) + el('nextToken', nextToken);
};

type RouteSearch = (routes: readonly EffectiveTgwRoute[], value: string) => EffectiveTgwRoute[];

function searchCidr(value: string) {
  const c = parseIpv4Cidr(value);
  if (c === undefined)
    throw new Ec2ApiError('InvalidParameterValue', `Invalid CIDR ${value} in route-search filter`);
  return c;
}

/** The `route-search.*` filters: CIDR relations between a route's destination and the filter value. */
const ROUTE_SEARCH: Readonly<Record<string, RouteSearch>> = {
  'route-search.exact-match': (routes, value) =>
    routes.filter((r) => canonical(r.destination) === canonical(value)),
  'route-search.subnet-of-match': (routes, value) => {
    const outer = searchCidr(value);
    return routes.filter((r) => {
      const c = searchCidr(r.destination);
      return c.length >= outer.length && cidrContains(outer, c.network);
    });
  },
  'route-search.supernet-of-match': (routes, value) => {
    const inner = searchCidr(value);
    return routes.filter((r) => {
      const c = searchCidr(r.destination);
      return c.length <= inner.length && cidrContains(c, inner.network);
    });
  },
  'route-search.longest-prefix-match': (routes, value) => {
    const inner = searchCidr(value);
    const covering = routes.filter((r) => searchCidr(r.destination).length <= inner.length);
    const best = longestMatch(covering, value.split('/')[0] ?? value, () => 0);
    return best === undefined ? [] : [best];
  },
};

const searchTransitGatewayRoutes: ActionHandler = ({ world }, params) => {
  const table = tgwRouteTableOrThrow(world, required(params, 'TransitGatewayRouteTableId'));
  const given = filters(params);
  if (given.length === 0)
    throw new Ec2ApiError('MissingParameter', 'The request must contain the parameter Filters');
  const maxResults = int(params, 'MaxResults', 5, 1000) ?? 1000;
  let routes = effectiveTgwRoutes(world, table.id);
  for (const f of given.filter((g) => Object.hasOwn(ROUTE_SEARCH, g.name))) {
    const search = ROUTE_SEARCH[f.name];
    if (search !== undefined) routes = [...new Set(f.values.flatMap((v) => search(routes, v)))];
  }
  const rest = given.filter((g) => !Object.hasOwn(ROUTE_SEARCH, g.name));
  const found = applyFilters(routes, rest, (r, name) => {
    const attachment = r.attachmentId === undefined ? undefined : findAttachment(world, r.attachmentId);
    switch (name) {
      case 'type':
        return [r.type];
      case 'state':
        return [r.state];
      case 'attachment.transit-gateway-attachment-id':
        return r.attachmentId === undefined ? [] : [r.attachmentId];
      case 'attachment.resource-id':
        return attachment === undefined ? [] : [attachment.resourceId];
      case 'attachment.resource-type':
        return attachment === undefined ? [] : [attachment.resourceType];
      case 'prefix-list-id':
        return [];
      default:
        return undefined;
    }
  });
  return (
    set('routeSet', found.slice(0, maxResults), (r) => tgwRouteXml(world, r)) +
    el('additionalRoutesAvailable', found.length > maxResults)
  );
};

const describeTransitGatewayAttachments: ActionHandler = ({ world }, params) => {
  const ids = list(params, 'TransitGatewayAttachmentIds');
  const base =
    ids.length === 0
      ? world.tgwAttachments
      : requireIds(
          ids,
          (id) => findAttachment(world, id),
          'InvalidTransitGatewayAttachmentID.NotFound',
          'transitGatewayAttachment',
        );
  const found = applyFilters(base, filters(params), (a, name) => {
    switch (name) {
      case 'transit-gateway-attachment-id':
        return [a.id];
      case 'transit-gateway-id':
        return [a.tgwId];
      case 'resource-type':
        return [a.resourceType];
      case 'resource-id':
        return [a.resourceId];
      case 'state':
        return [a.state];
      case 'association.transit-gateway-route-table-id':
        return a.associatedRouteTableId === undefined ? [] : [a.associatedRouteTableId];
      default:
        return undefined;
    }
  });
  const { page, nextToken } = paginate(found, params, 5, 1000);
  return (
    set('transitGatewayAttachments', page, (a) => tgwAttachmentXml(world, a)) + el('nextToken', nextToken)
  );
};

const getVpnTunnelReplacementStatus: ActionHandler = ({ world }, params) => {
  const vpn = vpnOrThrow(world, required(params, 'VpnConnectionId'));
  const tunnel = tunnelOrThrow(vpn, required(params, 'VpnTunnelOutsideIpAddress'));
  const m = tunnel.maintenance;
  return (
    el('vpnConnectionId', vpn.id) +
    el('transitGatewayId', vpn.transitGatewayId) +
    el('customerGatewayId', vpn.customerGatewayId) +
    el('vpnGatewayId', vpn.vpnGatewayId) +
    el('vpnTunnelOutsideIpAddress', tunnel.outsideIp) +
    node(
      'maintenanceDetails',
      el('pendingMaintenance', m.pending ? 'Available' : 'None') +
        el('maintenanceAutoAppliedAfter', m.autoAppliedAfter) +
        el('lastMaintenanceApplied', m.lastApplied),
    )
  );
};

/** The read-only actions: declared here, once; ec2-registry.ts lists them. */
export const DESCRIBE_ACTIONS = {
  DescribeVpnConnections: read(describeVpnConnections),
  DescribeRouteTables: read(describeRouteTables),
  SearchTransitGatewayRoutes: read(searchTransitGatewayRoutes),
  DescribeTransitGatewayAttachments: read(describeTransitGatewayAttachments),
  GetVpnTunnelReplacementStatus: read(getVpnTunnelReplacementStatus),
} as const satisfies Readonly<Record<string, ReadAction>>;
