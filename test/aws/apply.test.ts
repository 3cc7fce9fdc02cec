import {
  CreateRouteCommand,
  CreateVpnConnectionRouteCommand,
  DeleteRouteCommand,
  EC2Client,
  EnableVgwRoutePropagationCommand,
  ReplaceTransitGatewayRouteCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyAction, applyActions } from '../../lib/aws/apply.js';
import {
  awsError,
  propagation,
  serverError,
  tgwRoute,
  vpcRoute,
  vpcRouteAbsent,
  vpnRoute,
} from './apply-fixtures.js';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'us-east-1' });

beforeEach(() => {
  ec2Mock.reset();
});

describe('vgw-propagation and vpn-static-route', () => {
  it('enables propagation', async () => {
    ec2Mock.on(EnableVgwRoutePropagationCommand).resolves({});
    const result = await applyAction(ec2, propagation);
    expect(result).toMatchObject({ outcome: 'changed', calls: ['EnableVgwRoutePropagation'] });
    expect(ec2Mock.commandCalls(EnableVgwRoutePropagationCommand)[0]?.args[0].input).toEqual({
      RouteTableId: propagation.routeTableId,
      GatewayId: propagation.gatewayId,
    });
  });

  it('adds a VPN static route', async () => {
    ec2Mock.on(CreateVpnConnectionRouteCommand).resolves({});
    const result = await applyAction(ec2, vpnRoute);
    expect(result).toMatchObject({ outcome: 'changed', calls: ['CreateVpnConnectionRoute'] });
    expect(ec2Mock.commandCalls(CreateVpnConnectionRouteCommand)[0]?.args[0].input).toEqual({
      VpnConnectionId: vpnRoute.vpnId,
      DestinationCidrBlock: vpnRoute.destination,
    });
  });

  it('is already so when the VPN static route exists', async () => {
    ec2Mock.on(CreateVpnConnectionRouteCommand).rejects(awsError('RouteAlreadyExists'));
    const result = await applyAction(ec2, vpnRoute);
    expect(result).toMatchObject({ outcome: 'already-so', calls: ['CreateVpnConnectionRoute'] });
  });

  it('reports IncorrectState rather than guessing that the route exists', async () => {
    ec2Mock.on(CreateVpnConnectionRouteCommand).rejects(awsError('IncorrectState', 'The VPN is pending'));
    const result = await applyAction(ec2, vpnRoute);
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'IncorrectState' });
  });
});

describe('failures', () => {
  it('hints at the managed tag on UnauthorizedOperation', async () => {
    ec2Mock.on(CreateRouteCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized.'));
    const result = await applyAction(ec2, vpcRoute);
    expect(result).toMatchObject({
      outcome: 'failed',
      errorCode: 'UnauthorizedOperation',
      calls: ['CreateRoute'],
    });
    expect(result.detail).toContain('CreateRoute on rtb-0a1b2c3d4e5f60001');
    expect(result.detail).toContain('You are not authorized.');
    expect(result.detail).toContain('tunnel-warden:managed=true');
  });

  it('reports a server error after the SDK retries with its code, API, resource and message', async () => {
    ec2Mock.on(EnableVgwRoutePropagationCommand).rejects(serverError());
    const result = await applyAction(ec2, propagation);
    expect(result).toEqual({
      action: propagation,
      outcome: 'failed',
      calls: ['EnableVgwRoutePropagation'],
      errorCode: 'InternalError',
      detail:
        'EnableVgwRoutePropagation on rtb-0a1b2c3d4e5f60001 (propagation from vgw-0a1b2c3d4e5f60001) ' +
        'failed with InternalError: An internal error has occurred.',
    });
  });

  it('rethrows errors that are not AWS service errors', async () => {
    ec2Mock.on(DeleteRouteCommand).rejects(new TypeError('bug'));
    await expect(applyAction(ec2, vpcRouteAbsent)).rejects.toThrow(TypeError);
  });

  it('applyActions applies every action in order and carries on after a failure', async () => {
    ec2Mock.on(ReplaceTransitGatewayRouteCommand).rejects(awsError('UnauthorizedOperation'));
    ec2Mock.on(DeleteRouteCommand).rejects(awsError('InvalidRoute.NotFound'));
    ec2Mock.on(EnableVgwRoutePropagationCommand).resolves({});
    const results = await applyActions(ec2, [tgwRoute, vpcRouteAbsent, propagation]);
    expect(results.map((r) => [r.action.type, r.outcome, r.calls])).toEqual([
      ['tgw-route', 'failed', ['ReplaceTransitGatewayRoute']],
      ['vpc-static-route-absent', 'already-so', ['DeleteRoute']],
      ['vgw-propagation', 'changed', ['EnableVgwRoutePropagation']],
    ]);
    expect(ec2Mock.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'ReplaceTransitGatewayRouteCommand',
      'DeleteRouteCommand',
      'EnableVgwRoutePropagationCommand',
    ]);
  });

  it('applyActions returns nothing for no actions', async () => {
    await expect(applyActions(ec2, [])).resolves.toEqual([]);
  });
});
