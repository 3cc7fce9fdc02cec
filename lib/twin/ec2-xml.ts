/**
 * EC2 XML for the twin's resources, element names as the SDK's deserialisers read them (lowerCamel
 * members, `<item>` list entries, `…Set` list names: vpnConnectionSet, vgwTelemetry, routeTableSet, …).
 */
import { type EffectiveTgwRoute, effectiveVpcRoutes } from './routing.js';
import {
  findAttachment,
  type RouteTargetParam,
  type TwinRouteTable,
  type TwinTgwAttachment,
  type TwinTunnel,
  type TwinVpnConnection,
  type TwinWorld,
} from './state.js';
import { el, node, set, tagSet } from './xml.js';

/** Where each CreateRoute target appears in a Route; a GWLB endpoint is listed as a gateway, as in AWS. */
const TARGET_ELEMENT: Record<RouteTargetParam, string> = {
  GatewayId: 'gatewayId',
  TransitGatewayId: 'transitGatewayId',
  NetworkInterfaceId: 'networkInterfaceId',
  NatGatewayId: 'natGatewayId',
  VpcPeeringConnectionId: 'vpcPeeringConnectionId',
  InstanceId: 'instanceId',
  VpcEndpointId: 'gatewayId',
  EgressOnlyInternetGatewayId: 'egressOnlyInternetGatewayId',
  LocalGatewayId: 'localGatewayId',
  CarrierGatewayId: 'carrierGatewayId',
  CoreNetworkArn: 'coreNetworkArn',
};

const values = (name: string, items: readonly (string | number)[]) => set(name, items, (v) => el('value', v));

function tunnelOptionXml(t: TwinTunnel): string {
  const o = t.options;
  return (
    el('outsideIpAddress', t.outsideIp) +
    el('tunnelInsideCidr', o.tunnelInsideCidr) +
    el('preSharedKey', o.preSharedKey) +
    el('dpdTimeoutSeconds', o.dpdTimeoutSeconds) +
    el('dpdTimeoutAction', o.dpdTimeoutAction) +
    values('ikeVersionSet', o.ikeVersions) +
    el('startupAction', o.startupAction) +
    el('enableTunnelLifecycleControl', o.enableTunnelLifecycleControl)
  );
}

function telemetryXml(t: TwinTunnel): string {
  return (
    el('outsideIpAddress', t.outsideIp) +
    el('status', t.status) +
    el('lastStatusChange', t.lastStatusChange) +
    el('statusMessage', t.statusMessage) +
    el('acceptedRouteCount', t.acceptedRouteCount)
  );
}

export function vpnConnectionXml(vpn: TwinVpnConnection): string {
  const options =
    el('staticRoutesOnly', vpn.staticRoutesOnly) +
    el('tunnelInsideIpVersion', 'ipv4') +
    el('outsideIpAddressType', 'PublicIpv4') +
    el('tunnelBandwidth', 'standard') +
    set('tunnelOptionSet', vpn.tunnels, tunnelOptionXml);
  return (
    el('vpnConnectionId', vpn.id) +
    el('customerGatewayConfiguration', vpn.customerGatewayConfiguration) +
    el('customerGatewayId', vpn.customerGatewayId) +
    el('category', 'VPN') +
    el('state', vpn.state) +
    el('type', 'ipsec.1') +
    el('vpnGatewayId', vpn.vpnGatewayId) +
    el('transitGatewayId', vpn.transitGatewayId) +
    node('options', options) +
    set(
      'routes',
      vpn.staticRoutes,
      (destination) =>
        el('destinationCidrBlock', destination) + el('source', 'Static') + el('state', 'available'),
    ) +
    tagSet(vpn.tags) +
    (vpn.telemetryWithheld === true ? '' : set('vgwTelemetry', vpn.tunnels, telemetryXml))
  );
}

export function routeTableXml(world: TwinWorld, table: TwinRouteTable): string {
  const routes = effectiveVpcRoutes(world, table.id);
  const associations = table.main
    ? set(
        'associationSet',
        [table],
        (t) =>
          el('routeTableAssociationId', `rtbassoc-${t.id.slice('rtb-'.length)}`) +
          el('routeTableId', t.id) +
          el('main', true) +
          node('associationState', el('state', 'associated')),
      )
    : node('associationSet', '');
  return (
    el('routeTableId', table.id) +
    el('vpcId', table.vpcId) +
    el('ownerId', world.accountId) +
    set(
      'routeSet',
      routes,
      (r) =>
        el('destinationCidrBlock', r.destination) +
        el(TARGET_ELEMENT[r.target.param], r.target.id) +
        el('state', r.state) +
        el('origin', r.origin),
    ) +
    associations +
    set('propagatingVgwSet', table.propagatingVgws, (g) => el('gatewayId', g)) +
    tagSet(table.tags)
  );
}

/** A TGW route as SearchTransitGatewayRoutes and the route mutations return it (Delete answers `deleted`). */
export function tgwRouteXml(
  world: TwinWorld,
  route: Omit<EffectiveTgwRoute, 'state'> & { readonly state: EffectiveTgwRoute['state'] | 'deleted' },
): string {
  const ids = route.attachmentIds ?? (route.attachmentId === undefined ? [] : [route.attachmentId]);
  const found = ids.flatMap((id) => findAttachment(world, id) ?? []);
  const attachments =
    found.length === 0
      ? ''
      : set(
          'transitGatewayAttachments',
          found,
          (a) =>
            el('resourceId', a.resourceId) +
            el('transitGatewayAttachmentId', a.id) +
            el('resourceType', a.resourceType),
        );
  return (
    el('destinationCidrBlock', route.destination) +
    attachments +
    el('type', route.type) +
    el('state', route.state)
  );
}

export function tgwAttachmentXml(world: TwinWorld, a: TwinTgwAttachment): string {
  const association =
    a.associatedRouteTableId === undefined
      ? ''
      : node(
          'association',
          el('transitGatewayRouteTableId', a.associatedRouteTableId) + el('state', 'associated'),
        );
  return (
    el('transitGatewayAttachmentId', a.id) +
    el('transitGatewayId', a.tgwId) +
    el('transitGatewayOwnerId', world.accountId) +
    el('resourceOwnerId', world.accountId) +
    el('resourceType', a.resourceType) +
    el('resourceId', a.resourceId) +
    el('state', a.state) +
    association +
    tagSet({})
  );
}
