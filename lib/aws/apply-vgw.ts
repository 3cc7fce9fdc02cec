import {
  CreateVpnConnectionRouteCommand,
  type EC2Client,
  EnableVgwRoutePropagationCommand,
} from '@aws-sdk/client-ec2';
import type { RouteAction } from '../domain/actions.js';
import type { CallLog, Settled } from './apply-result.js';
import { hasErrorCode, ROUTE_EXISTS_CODE } from './ec2-errors.js';

type PropagationAction = Extract<RouteAction, { type: 'vgw-propagation' }>;
type VpnRouteAction = Extract<RouteAction, { type: 'vpn-static-route' }>;

/** EnableVgwRoutePropagation succeeds when propagation is already on, so there is nothing to check first. */
export async function applyVgwPropagation(
  ec2: EC2Client,
  log: CallLog,
  action: PropagationAction,
): Promise<Settled> {
  await log.run('EnableVgwRoutePropagation', () =>
    ec2.send(
      new EnableVgwRoutePropagationCommand({
        RouteTableId: action.routeTableId,
        GatewayId: action.gatewayId,
      }),
    ),
  );
  return {
    outcome: 'changed',
    detail: `Enabled propagation from ${action.gatewayId} into ${action.routeTableId}.`,
  };
}

/**
 * Adds a static route to a static VPN on a VGW. Only RouteAlreadyExists counts as "already so": other
 * codes (InvalidParameterValue, IncorrectState) also cover real faults, so they are reported.
 */
export async function applyVpnStaticRoute(
  ec2: EC2Client,
  log: CallLog,
  action: VpnRouteAction,
): Promise<Settled> {
  try {
    await log.run('CreateVpnConnectionRoute', () =>
      ec2.send(
        new CreateVpnConnectionRouteCommand({
          VpnConnectionId: action.vpnId,
          DestinationCidrBlock: action.destination,
        }),
      ),
    );
    return { outcome: 'changed', detail: `Added static route ${action.destination} to ${action.vpnId}.` };
  } catch (error) {
    if (!hasErrorCode(error, ROUTE_EXISTS_CODE)) throw error;
    return {
      outcome: 'already-so',
      detail: `${action.vpnId} already has static route ${action.destination}.`,
    };
  }
}
