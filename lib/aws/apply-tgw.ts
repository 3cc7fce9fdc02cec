import {
  CreateTransitGatewayRouteCommand,
  DeleteTransitGatewayRouteCommand,
  type EC2Client,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
  type TransitGatewayRoute,
} from '@aws-sdk/client-ec2';
import type { RouteAction } from '../domain/actions.js';
import type { CallLog, Settled } from './apply-result.js';
import { hasErrorCode, ROUTE_EXISTS_CODE, ROUTE_MISSING_CODES } from './ec2-errors.js';

type TgwRouteAction = Extract<RouteAction, { type: 'tgw-route' }>;
type TgwRouteAbsentAction = Extract<RouteAction, { type: 'tgw-route-absent' }>;

/**
 * Removes a TGW static route so the route BGP propagates for the prefix carries it again. A route that
 * is already gone is success: another run, or the operator, got there first.
 */
export async function applyTgwRouteAbsent(
  ec2: EC2Client,
  log: CallLog,
  action: TgwRouteAbsentAction,
): Promise<Settled> {
  const where = `${action.destination} in ${action.routeTableId}`;
  try {
    await log.run('DeleteTransitGatewayRoute', () =>
      ec2.send(
        new DeleteTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: action.routeTableId,
          DestinationCidrBlock: action.destination,
        }),
      ),
    );
    const was = action.previousAttachmentId === undefined ? 'a blackhole' : action.previousAttachmentId;
    return {
      outcome: 'changed',
      detail: `Deleted static route ${where} (was to ${was}): the propagated (BGP) route carries it.`,
    };
  } catch (error) {
    if (!hasErrorCode(error, ...ROUTE_MISSING_CODES)) throw error;
    return { outcome: 'already-so', detail: `No static route ${where}: nothing to delete.` };
  }
}

/**
 * Points a TGW route table's static route at an attachment. Replace first: the plan comes from a fresh
 * snapshot, the route usually exists, and Replace is harmless when it already points there. A missing
 * route falls back to Create; a Create that races another run is checked, then replaced if needed.
 */
export async function applyTgwRoute(ec2: EC2Client, log: CallLog, action: TgwRouteAction): Promise<Settled> {
  const where = `${action.destination} in ${action.routeTableId}`;
  try {
    await replace(ec2, log, action);
    return {
      outcome: 'changed',
      detail: `Pointed ${where} at ${action.attachmentId} (ReplaceTransitGatewayRoute).`,
    };
  } catch (error) {
    if (!hasErrorCode(error, ...ROUTE_MISSING_CODES)) throw error;
  }
  try {
    await log.run('CreateTransitGatewayRoute', () =>
      ec2.send(
        new CreateTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: action.routeTableId,
          DestinationCidrBlock: action.destination,
          TransitGatewayAttachmentId: action.attachmentId,
        }),
      ),
    );
    return { outcome: 'changed', detail: `Created ${where} to ${action.attachmentId}.` };
  } catch (error) {
    if (!hasErrorCode(error, ROUTE_EXISTS_CODE)) throw error;
  }
  // Someone created the route between our Replace and Create: it may already be what we want.
  const existing = await staticRoute(ec2, log, action);
  if (existing !== undefined && pointsAt(existing, action.attachmentId)) {
    return {
      outcome: 'already-so',
      detail: `${where} already points at ${action.attachmentId} (created concurrently).`,
    };
  }
  await replace(ec2, log, action);
  return {
    outcome: 'changed',
    detail: `Pointed ${where} at ${action.attachmentId} (replaced a route created concurrently).`,
  };
}

async function replace(ec2: EC2Client, log: CallLog, action: TgwRouteAction): Promise<void> {
  await log.run('ReplaceTransitGatewayRoute', () =>
    ec2.send(
      new ReplaceTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: action.routeTableId,
        DestinationCidrBlock: action.destination,
        TransitGatewayAttachmentId: action.attachmentId,
      }),
    ),
  );
}

async function staticRoute(
  ec2: EC2Client,
  log: CallLog,
  action: TgwRouteAction,
): Promise<TransitGatewayRoute | undefined> {
  const found = await log.run('SearchTransitGatewayRoutes', () =>
    ec2.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: action.routeTableId,
        Filters: [{ Name: 'route-search.exact-match', Values: [action.destination] }],
      }),
    ),
  );
  // Create conflicts only with a static route; a propagated one for the same prefix is not ours to judge.
  return found.Routes?.find((route) => route.Type === 'static');
}

function pointsAt(route: TransitGatewayRoute, attachmentId: string): boolean {
  // A blackhole (or one being deleted) carries no traffic even if it still names the attachment.
  const live = route.State === 'active' || route.State === 'pending';
  return (
    live && (route.TransitGatewayAttachments ?? []).some((a) => a.TransitGatewayAttachmentId === attachmentId)
  );
}
