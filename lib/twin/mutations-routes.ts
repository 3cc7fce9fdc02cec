/**
 * Route mutations of VPC and TGW route tables with EC2's rules and error codes. Destinations arrive
 * canonical for creates (the API layer canonicalises them) and as written for replace and delete, which
 * need an exact match.
 */
import { Ec2ApiError } from './errors.js';
import {
  findAttachment,
  findRouteTable,
  findTgw,
  findTgwRouteTable,
  findVgw,
  findVpc,
  type TwinRouteTable,
  type TwinRouteTarget,
  type TwinTgwRouteTable,
  type TwinTgwStaticRoute,
  type TwinWorld,
} from './state.js';

export function routeTableOrThrow(world: TwinWorld, id: string): TwinRouteTable {
  const table = findRouteTable(world, id);
  if (table === undefined)
    throw new Ec2ApiError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);
  return table;
}

export function tgwRouteTableOrThrow(world: TwinWorld, id: string): TwinTgwRouteTable {
  const table = findTgwRouteTable(world, id);
  if (table === undefined) {
    throw new Ec2ApiError(
      'InvalidRouteTableID.NotFound',
      `The transitGatewayRouteTable ID '${id}' does not exist`,
    );
  }
  return table;
}

/** The target must exist and be reachable from the table's VPC; ENIs, NAT gateways and the rest are taken on trust. */
function checkTarget(world: TwinWorld, table: TwinRouteTable, target: TwinRouteTarget): void {
  if (target.param === 'GatewayId' && target.id.startsWith('vgw-')) {
    const vgw = findVgw(world, target.id);
    if (vgw === undefined) {
      throw new Ec2ApiError('InvalidGatewayID.NotFound', `The gateway ID '${target.id}' does not exist`);
    }
    if (vgw.vpcId !== table.vpcId) {
      throw new Ec2ApiError(
        'InvalidParameterValue',
        `route table ${table.id} and network gateway ${target.id} belong to different networks`,
      );
    }
  }
  if (target.param === 'TransitGatewayId' && findTgw(world, target.id) === undefined) {
    throw new Ec2ApiError(
      'InvalidTransitGatewayID.NotFound',
      `The transitGateway ID '${target.id}' does not exist`,
    );
  }
}

const isLocal = (world: TwinWorld, table: TwinRouteTable, destination: string) =>
  findVpc(world, table.vpcId)?.cidr === destination;

export function createRoute(
  world: TwinWorld,
  routeTableId: string,
  destination: string,
  target: TwinRouteTarget,
): void {
  const table = routeTableOrThrow(world, routeTableId);
  checkTarget(world, table, target);
  // A propagated route for the same prefix does not conflict: the static one is added beside it and wins.
  if (isLocal(world, table, destination) || table.routes.some((r) => r.destination === destination)) {
    throw new Ec2ApiError('RouteAlreadyExists', `The route identified by ${destination} already exists.`);
  }
  table.routes.push({ destination, target });
}

/** ReplaceRoute on a missing route: `InvalidParameterValue`, as AWS (and moto) answer. */
export function replaceRoute(
  world: TwinWorld,
  routeTableId: string,
  destination: string,
  target: TwinRouteTarget,
): void {
  const table = routeTableOrThrow(world, routeTableId);
  if (isLocal(world, table, destination)) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `The twin does not replace the local route ${destination} in ${table.id}`,
    );
  }
  const route = table.routes.find((r) => r.destination === destination);
  if (route === undefined) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `There is no route defined for '${destination}' in the route table. Use CreateRoute instead.`,
    );
  }
  checkTarget(world, table, target);
  route.target = target;
}

export function deleteRoute(world: TwinWorld, routeTableId: string, destination: string): void {
  const table = routeTableOrThrow(world, routeTableId);
  if (isLocal(world, table, destination)) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `cannot remove local route ${destination} in route table ${table.id}`,
    );
  }
  const index = table.routes.findIndex((r) => r.destination === destination);
  if (index < 0) {
    throw new Ec2ApiError(
      'InvalidRoute.NotFound',
      `no route with destination-cidr-block ${destination} in route table ${table.id}`,
    );
  }
  table.routes.splice(index, 1);
}

/** Enabling twice is not an error; the VGW must be attached to the table's VPC. */
export function enableVgwRoutePropagation(world: TwinWorld, routeTableId: string, gatewayId: string): void {
  const table = routeTableOrThrow(world, routeTableId);
  const vgw = findVgw(world, gatewayId);
  if (vgw === undefined) {
    throw new Ec2ApiError('InvalidVpnGatewayID.NotFound', `The vpnGateway ID '${gatewayId}' does not exist`);
  }
  if (vgw.vpcId !== table.vpcId) {
    throw new Ec2ApiError(
      'Gateway.NotAttached',
      `resource ${gatewayId} is not attached to network ${table.vpcId}`,
    );
  }
  if (!table.propagatingVgws.includes(gatewayId)) table.propagatingVgws.push(gatewayId);
}

/** Disabling propagation that is off is not an error either; a detached VGW can still be removed. */
export function disableVgwRoutePropagation(world: TwinWorld, routeTableId: string, gatewayId: string): void {
  const table = routeTableOrThrow(world, routeTableId);
  if (findVgw(world, gatewayId) === undefined) {
    throw new Ec2ApiError('InvalidVpnGatewayID.NotFound', `The vpnGateway ID '${gatewayId}' does not exist`);
  }
  table.propagatingVgws = table.propagatingVgws.filter((g) => g !== gatewayId);
}

/** A TGW route's target: an attachment of the table's own transit gateway, or a blackhole. */
export type TgwRouteTarget = { readonly attachmentId: string } | { readonly blackhole: true };

function checkAttachment(world: TwinWorld, table: TwinTgwRouteTable, target: TgwRouteTarget): void {
  if (!('attachmentId' in target)) return;
  const attachment = findAttachment(world, target.attachmentId);
  if (attachment === undefined || attachment.state !== 'available') {
    throw new Ec2ApiError(
      'InvalidTransitGatewayAttachmentID.NotFound',
      `The transitGatewayAttachment ID '${target.attachmentId}' does not exist`,
    );
  }
  if (attachment.tgwId !== table.tgwId) {
    throw new Ec2ApiError(
      'InvalidParameterValue',
      `Transit Gateway Attachment ${attachment.id} does not belong to Transit Gateway ${table.tgwId}`,
    );
  }
}

function toRoute(destination: string, target: TgwRouteTarget): TwinTgwStaticRoute {
  return 'attachmentId' in target ? { destination, attachmentId: target.attachmentId } : { destination };
}

export function createTgwRoute(
  world: TwinWorld,
  routeTableId: string,
  destination: string,
  target: TgwRouteTarget,
): TwinTgwStaticRoute {
  const table = tgwRouteTableOrThrow(world, routeTableId);
  checkAttachment(world, table, target);
  // Only a static route conflicts; a propagated one for the prefix is overridden by the new static route.
  if (table.routes.some((r) => r.destination === destination)) {
    throw new Ec2ApiError(
      'RouteAlreadyExists',
      `Route ${destination} already exists in Transit Gateway Route Table ${routeTableId}.`,
    );
  }
  const route = toRoute(destination, target);
  table.routes.push(route);
  return route;
}

function staticRouteIndex(table: TwinTgwRouteTable, destination: string): number {
  const index = table.routes.findIndex((r) => r.destination === destination);
  if (index < 0) {
    throw new Ec2ApiError(
      'InvalidRoute.NotFound',
      `Route ${destination} does not exist in Transit Gateway Route Table ${table.id}.`,
    );
  }
  return index;
}

export function replaceTgwRoute(
  world: TwinWorld,
  routeTableId: string,
  destination: string,
  target: TgwRouteTarget,
): TwinTgwStaticRoute {
  const table = tgwRouteTableOrThrow(world, routeTableId);
  const index = staticRouteIndex(table, destination);
  checkAttachment(world, table, target);
  const route = toRoute(destination, target);
  table.routes[index] = route;
  return route;
}

export function deleteTgwRoute(
  world: TwinWorld,
  routeTableId: string,
  destination: string,
): TwinTgwStaticRoute {
  const table = tgwRouteTableOrThrow(world, routeTableId);
  const [removed] = table.routes.splice(staticRouteIndex(table, destination), 1);
  return removed ?? { destination };
}
