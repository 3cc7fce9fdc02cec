import { EC2ServiceException } from '@aws-sdk/client-ec2';
import type { RouteAction } from '../../lib/domain/actions.js';

/** An error shaped like the SDK's after it gave up: the AWS code in `name`, and call metadata. */
export function awsError(name: string, message = `${name} message`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

export function serverError(): EC2ServiceException {
  return new EC2ServiceException({
    name: 'InternalError',
    $fault: 'server',
    $metadata: { httpStatusCode: 500, attempts: 10 },
    message: 'An internal error has occurred.',
  });
}

export const tgwRoute = {
  type: 'tgw-route',
  routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
  destination: '10.3.0.0/20',
  attachmentId: 'tgw-attach-0a1b2c3d4e5f60002',
  previousAttachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
} as const satisfies RouteAction;

export const vpcRoute = {
  type: 'vpc-static-route',
  routeTableId: 'rtb-0a1b2c3d4e5f60001',
  destination: '10.3.0.0/20',
  target: { kind: 'transit-gateway', id: 'tgw-0a1b2c3d4e5f60001' },
} as const satisfies RouteAction;

export const vpcRouteAbsent = {
  type: 'vpc-static-route-absent',
  routeTableId: 'rtb-0a1b2c3d4e5f60001',
  destination: '10.3.0.0/20',
  previousTarget: { kind: 'transit-gateway', id: 'tgw-0a1b2c3d4e5f60001' },
} as const satisfies RouteAction;

export const propagation = {
  type: 'vgw-propagation',
  routeTableId: 'rtb-0a1b2c3d4e5f60001',
  gatewayId: 'vgw-0a1b2c3d4e5f60001',
} as const satisfies RouteAction;

export const vpnRoute = {
  type: 'vpn-static-route',
  vpnId: 'vpn-0a1b2c3d4e5f60001',
  destination: '10.3.0.0/20',
} as const satisfies RouteAction;
