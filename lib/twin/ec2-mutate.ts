/**
 * Writing EC2 actions of the twin: parse the parameters, call the world's mutator, answer as EC2 does.
 * Each is registered with `write(guard, handler)`: the guard is the resource whose managed tag the IAM
 * policy scopes the action by, and a write cannot be registered without one.
 */
import { ROUTE_TABLE, TGW_ROUTE_TABLE, VPN_CONNECTION, type WriteAction, write } from './ec2-actions.js';
import { tgwRouteXml, vpnConnectionXml } from './ec2-xml.js';
import { Ec2ApiError } from './errors.js';
import {
  createRoute,
  createTgwRoute,
  deleteRoute,
  deleteTgwRoute,
  disableVgwRoutePropagation,
  enableVgwRoutePropagation,
  replaceRoute,
  replaceTgwRoute,
  type TgwRouteTarget,
} from './mutations-routes.js';
import {
  createVpnConnectionRoute,
  deleteVpnConnectionRoute,
  modifyVpnTunnelOptions,
  replaceVpnTunnel,
  type TunnelOptionsChange,
} from './mutations-vpn.js';
import { bool, cidrParam, int, list, optional, type Params, required } from './query.js';
import {
  ROUTE_TARGET_PARAMS,
  type TwinRouteTarget,
  type TwinTgwStaticRoute,
  type TwinWorld,
} from './state.js';
import { el, node } from './xml.js';

const ok = el('return', true);

/** Exactly one target parameter, as CreateRoute and ReplaceRoute require. */
function routeTarget(params: Params): TwinRouteTarget {
  const given = ROUTE_TARGET_PARAMS.flatMap((param) => {
    const id = optional(params, param);
    return id === undefined || id === '' ? [] : [{ param, id }];
  });
  const [target, ...more] = given;
  if (target === undefined || more.length > 0) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `The request must contain exactly one of: ${ROUTE_TARGET_PARAMS.join(', ')}; it has ${given.length}`,
    );
  }
  return target;
}

function tgwTarget(params: Params): TgwRouteTarget {
  const attachmentId = optional(params, 'TransitGatewayAttachmentId');
  const blackhole = bool(params, 'Blackhole') === true;
  if (attachmentId !== undefined && blackhole) {
    throw new Ec2ApiError(
      'InvalidParameterCombination',
      'Specify either TransitGatewayAttachmentId or Blackhole, not both',
    );
  }
  if (attachmentId !== undefined) return { attachmentId };
  if (blackhole) return { blackhole: true };
  throw new Ec2ApiError(
    'MissingParameter',
    'The request must contain the parameter TransitGatewayAttachmentId or Blackhole',
  );
}

function tgwRouteReply(world: TwinWorld, route: TwinTgwStaticRoute, state?: 'deleted'): string {
  const live =
    route.attachmentId !== undefined && world.tgwAttachments.some((a) => a.id === route.attachmentId);
  return node(
    'route',
    tgwRouteXml(world, {
      destination: route.destination,
      ...(route.attachmentId === undefined ? {} : { attachmentId: route.attachmentId }),
      type: 'static',
      state: state ?? (live ? 'active' : 'blackhole'),
    }),
  );
}

const exact = (params: Params) => required(params, 'DestinationCidrBlock');

/** The `TunnelOptions.*` members the twin models; the casing is the request's (DPD…, IKEVersion.N.Value). */
function tunnelOptionsChange(params: Params): TunnelOptionsChange {
  const dpd = int(params, 'TunnelOptions.DPDTimeoutSeconds', 0, 2 ** 31 - 1);
  const dpdAction = optional(params, 'TunnelOptions.DPDTimeoutAction');
  const startup = optional(params, 'TunnelOptions.StartupAction');
  const ike = list(params, 'TunnelOptions.IKEVersion', '.Value');
  const lifecycle = bool(params, 'TunnelOptions.EnableTunnelLifecycleControl');
  return {
    ...(dpd === undefined ? {} : { dpdTimeoutSeconds: dpd }),
    ...(dpdAction === undefined ? {} : { dpdTimeoutAction: dpdAction }),
    ...(startup === undefined ? {} : { startupAction: startup }),
    ...(ike.length === 0 ? {} : { ikeVersions: ike }),
    ...(lifecycle === undefined ? {} : { enableTunnelLifecycleControl: lifecycle }),
  };
}

/** The writes, each with its guard: declared here, once; ec2-registry.ts lists them. */
export const MUTATE_ACTIONS = {
  CreateRoute: write(ROUTE_TABLE, ({ world }, p) => {
    const target = routeTarget(p);
    createRoute(world, required(p, 'RouteTableId'), cidrParam(p), target);
    return ok;
  }),
  ReplaceRoute: write(ROUTE_TABLE, ({ world }, p) => {
    const target = routeTarget(p);
    replaceRoute(world, required(p, 'RouteTableId'), exact(p), target);
    return ok;
  }),
  DeleteRoute: write(ROUTE_TABLE, ({ world }, p) => {
    deleteRoute(world, required(p, 'RouteTableId'), exact(p));
    return ok;
  }),
  EnableVgwRoutePropagation: write(ROUTE_TABLE, ({ world }, p) => {
    enableVgwRoutePropagation(world, required(p, 'RouteTableId'), required(p, 'GatewayId'));
    return ok;
  }),
  DisableVgwRoutePropagation: write(ROUTE_TABLE, ({ world }, p) => {
    disableVgwRoutePropagation(world, required(p, 'RouteTableId'), required(p, 'GatewayId'));
    return ok;
  }),
  CreateTransitGatewayRoute: write(TGW_ROUTE_TABLE, ({ world }, p) => {
    const target = tgwTarget(p);
    const route = createTgwRoute(world, required(p, 'TransitGatewayRouteTableId'), cidrParam(p), target);
    return tgwRouteReply(world, route);
  }),
  ReplaceTransitGatewayRoute: write(TGW_ROUTE_TABLE, ({ world }, p) => {
    const target = tgwTarget(p);
    const route = replaceTgwRoute(world, required(p, 'TransitGatewayRouteTableId'), exact(p), target);
    return tgwRouteReply(world, route);
  }),
  DeleteTransitGatewayRoute: write(TGW_ROUTE_TABLE, ({ world }, p) =>
    tgwRouteReply(
      world,
      deleteTgwRoute(world, required(p, 'TransitGatewayRouteTableId'), exact(p)),
      'deleted',
    ),
  ),
  CreateVpnConnectionRoute: write(VPN_CONNECTION, ({ world }, p) => {
    createVpnConnectionRoute(world, required(p, 'VpnConnectionId'), cidrParam(p));
    return ok;
  }),
  DeleteVpnConnectionRoute: write(VPN_CONNECTION, ({ world }, p) => {
    deleteVpnConnectionRoute(world, required(p, 'VpnConnectionId'), exact(p));
    return ok;
  }),
  ReplaceVpnTunnel: write(VPN_CONNECTION, ({ world, now }, p) => {
    replaceVpnTunnel(world, required(p, 'VpnConnectionId'), required(p, 'VpnTunnelOutsideIpAddress'), now(), {
      applyPendingMaintenance: bool(p, 'ApplyPendingMaintenance') ?? false,
    });
    return ok;
  }),
  ModifyVpnTunnelOptions: write(VPN_CONNECTION, ({ world, now }, p) => {
    const vpn = modifyVpnTunnelOptions(
      world,
      required(p, 'VpnConnectionId'),
      required(p, 'VpnTunnelOutsideIpAddress'),
      tunnelOptionsChange(p),
      now(),
      bool(p, 'SkipTunnelReplacement') ?? false,
    );
    return node('vpnConnection', vpnConnectionXml(vpn));
  }),
} as const satisfies Readonly<Record<string, WriteAction>>;
