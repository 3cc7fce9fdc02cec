import {
  CreateRouteCommand,
  DeleteRouteCommand,
  DescribeRouteTablesCommand,
  type EC2Client,
  ReplaceRouteCommand,
  type Route,
} from '@aws-sdk/client-ec2';
import { parseIpv4Cidr } from '../config/cidr.js';
import type { RouteAction } from '../domain/actions.js';
import type { RouteTarget } from '../domain/snapshot.js';
import type { CallLog, Settled } from './apply-result.js';
import { hasErrorCode, ROUTE_EXISTS_CODE, ROUTE_NOT_FOUND_CODE } from './ec2-errors.js';

type VpcRouteAction = Extract<RouteAction, { type: 'vpc-static-route' }>;
type VpcRouteAbsentAction = Extract<RouteAction, { type: 'vpc-static-route-absent' }>;
type TargetParams = { TransitGatewayId: string } | { NetworkInterfaceId: string } | { GatewayId: string };

/** The target field of CreateRoute/ReplaceRoute; undefined for kinds tunnel-warden never routes to. */
function targetParams(target: RouteTarget): TargetParams | undefined {
  switch (target.kind) {
    case 'transit-gateway':
      return { TransitGatewayId: target.id };
    case 'network-interface':
      return { NetworkInterfaceId: target.id };
    case 'vpn-gateway':
      return { GatewayId: target.id };
    default:
      return undefined;
  }
}

/**
 * Gives a VPC route table a static route to the target. Create first; on RouteAlreadyExists read the
 * table: the same target is success, another target is replaced using the destination exactly as AWS
 * stored it (CreateRoute canonicalises the CIDR, ReplaceRoute needs an exact match).
 */
export async function applyVpcStaticRoute(
  ec2: EC2Client,
  log: CallLog,
  action: VpcRouteAction,
): Promise<Settled> {
  const target = targetParams(action.target);
  const where = `${action.destination} in ${action.routeTableId}`;
  const to = `${action.target.kind} ${action.target.id}`;
  if (target === undefined) {
    return {
      outcome: 'failed',
      detail: `Refused to route ${where} to ${to}: only transit-gateway, network-interface and vpn-gateway targets are supported.`,
    };
  }
  const create = () =>
    log.run('CreateRoute', () =>
      ec2.send(
        new CreateRouteCommand({
          RouteTableId: action.routeTableId,
          DestinationCidrBlock: action.destination,
          ...target,
        }),
      ),
    );
  try {
    await create();
    return { outcome: 'changed', detail: `Created static route ${where} to ${to}.` };
  } catch (error) {
    if (!hasErrorCode(error, ROUTE_EXISTS_CODE)) throw error;
  }
  const existing = await staticRoute(ec2, log, action);
  if (existing === undefined) {
    // Only a propagated route (or none: deleted meanwhile) holds the prefix; CreateRoute does not conflict
    // with those, so one more Create is the right call.
    await create();
    return { outcome: 'changed', detail: `Created static route ${where} to ${to}.` };
  }
  if (existing.Origin === 'CreateRouteTable') {
    return { outcome: 'failed', detail: `Refused to replace ${where}: it is the VPC's local route.` };
  }
  if (sameTarget(existing, action.target)) {
    const state =
      existing.State === undefined || existing.State === 'active' ? '' : ` (state ${existing.State})`;
    return { outcome: 'already-so', detail: `Static route ${where} already points at ${to}${state}.` };
  }
  await log.run('ReplaceRoute', () =>
    ec2.send(
      new ReplaceRouteCommand({
        RouteTableId: action.routeTableId,
        DestinationCidrBlock: existing.DestinationCidrBlock ?? action.destination,
        ...target,
      }),
    ),
  );
  return {
    outcome: 'changed',
    detail: `Replaced static route ${where}: now to ${to}, was ${describeTarget(existing)}.`,
  };
}

/** Removes the static route so the VGW's propagated route for the prefix takes over; gone already is success. */
export async function applyVpcStaticRouteAbsent(
  ec2: EC2Client,
  log: CallLog,
  action: VpcRouteAbsentAction,
): Promise<Settled> {
  const where = `${action.destination} in ${action.routeTableId}`;
  try {
    await log.run('DeleteRoute', () =>
      ec2.send(
        new DeleteRouteCommand({
          RouteTableId: action.routeTableId,
          DestinationCidrBlock: action.destination,
        }),
      ),
    );
    return {
      outcome: 'changed',
      detail: `Deleted static route ${where} (was to ${action.previousTarget.kind} ${action.previousTarget.id}).`,
    };
  } catch (error) {
    if (!hasErrorCode(error, ROUTE_NOT_FOUND_CODE)) throw error;
    return { outcome: 'already-so', detail: `No static route ${where}: nothing to delete.` };
  }
}

/** The non-propagated route for the action's prefix, matched on the canonical CIDR. */
async function staticRoute(ec2: EC2Client, log: CallLog, action: VpcRouteAction): Promise<Route | undefined> {
  const found = await log.run('DescribeRouteTables', () =>
    ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [action.routeTableId] })),
  );
  const wanted = canonical(action.destination);
  const routes = found.RouteTables?.find((t) => t.RouteTableId === action.routeTableId)?.Routes ?? [];
  return routes.find(
    (route) =>
      route.DestinationCidrBlock !== undefined &&
      canonical(route.DestinationCidrBlock) === wanted &&
      route.Origin !== 'EnableVgwRoutePropagation',
  );
}

function canonical(cidr: string): string {
  return parseIpv4Cidr(cidr)?.canonical ?? cidr;
}

function sameTarget(route: Route, target: RouteTarget): boolean {
  switch (target.kind) {
    case 'transit-gateway':
      return route.TransitGatewayId === target.id;
    case 'network-interface':
      return route.NetworkInterfaceId === target.id;
    case 'vpn-gateway':
      return route.GatewayId === target.id;
    default:
      return false;
  }
}

function describeTarget(route: Route): string {
  const id =
    route.TransitGatewayId ??
    route.NetworkInterfaceId ??
    route.GatewayId ??
    route.NatGatewayId ??
    route.VpcPeeringConnectionId ??
    route.InstanceId;
  return id ?? 'another target';
}
