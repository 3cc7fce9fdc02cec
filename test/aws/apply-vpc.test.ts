import {
  CreateRouteCommand,
  DeleteRouteCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  ReplaceRouteCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyAction } from '../../lib/aws/apply.js';
import { awsError, vpcRoute, vpcRouteAbsent } from './apply-fixtures.js';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'us-east-1' });

beforeEach(() => {
  ec2Mock.reset();
});

describe('vpc-static-route', () => {
  const describeWith = (...routes: object[]) => ({
    RouteTables: [{ RouteTableId: vpcRoute.routeTableId, Routes: routes }],
  });
  const local = { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable' };

  it.each([
    ['transit-gateway', 'tgw-0a1b2c3d4e5f60001', { TransitGatewayId: 'tgw-0a1b2c3d4e5f60001' }],
    ['network-interface', 'eni-0a1b2c3d4e5f60001', { NetworkInterfaceId: 'eni-0a1b2c3d4e5f60001' }],
    ['vpn-gateway', 'vgw-0a1b2c3d4e5f60001', { GatewayId: 'vgw-0a1b2c3d4e5f60001' }],
  ] as const)('creates a route to a %s', async (kind, id, target) => {
    ec2Mock.on(CreateRouteCommand).resolves({ Return: true });
    const result = await applyAction(ec2, { ...vpcRoute, target: { kind, id } });
    expect(result).toMatchObject({ outcome: 'changed', calls: ['CreateRoute'] });
    expect(ec2Mock.commandCalls(CreateRouteCommand)[0]?.args[0].input).toEqual({
      RouteTableId: vpcRoute.routeTableId,
      DestinationCidrBlock: vpcRoute.destination,
      ...target,
    });
  });

  it.each(['local', 'other'] as const)('refuses a %s target without calling EC2', async (kind) => {
    const result = await applyAction(ec2, { ...vpcRoute, target: { kind, id: 'pcx-0a1b2c3d4e5f60001' } });
    expect(result).toMatchObject({ outcome: 'failed', calls: [] });
    expect(result.detail).toContain('only transit-gateway, network-interface and vpn-gateway');
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it('is already so when the existing route has the same target', async () => {
    ec2Mock.on(CreateRouteCommand).rejects(awsError('RouteAlreadyExists'));
    ec2Mock.on(DescribeRouteTablesCommand).resolves(
      describeWith(local, {
        DestinationCidrBlock: '10.3.0.0/20',
        TransitGatewayId: vpcRoute.target.id,
        Origin: 'CreateRoute',
        State: 'active',
      }),
    );
    const result = await applyAction(ec2, vpcRoute);
    expect(result).toMatchObject({ outcome: 'already-so', calls: ['CreateRoute', 'DescribeRouteTables'] });
    expect(ec2Mock.commandCalls(DescribeRouteTablesCommand)[0]?.args[0].input).toEqual({
      RouteTableIds: [vpcRoute.routeTableId],
    });
  });

  it('replaces a route to another target, with the destination exactly as AWS stored it', async () => {
    ec2Mock.on(CreateRouteCommand).rejects(awsError('RouteAlreadyExists'));
    ec2Mock.on(ReplaceRouteCommand).resolves({});
    ec2Mock.on(DescribeRouteTablesCommand).resolves(
      describeWith({
        DestinationCidrBlock: '10.3.0.0/20',
        GatewayId: 'vgw-0a1b2c3d4e5f60001',
        Origin: 'CreateRoute',
      }),
    );
    // Host bits set: CreateRoute canonicalises them away, ReplaceRoute would not match them.
    const result = await applyAction(ec2, { ...vpcRoute, destination: '10.3.4.0/20' });
    expect(result).toMatchObject({
      outcome: 'changed',
      calls: ['CreateRoute', 'DescribeRouteTables', 'ReplaceRoute'],
    });
    expect(result.detail).toContain('was vgw-0a1b2c3d4e5f60001');
    expect(ec2Mock.commandCalls(ReplaceRouteCommand)[0]?.args[0].input).toEqual({
      RouteTableId: vpcRoute.routeTableId,
      DestinationCidrBlock: '10.3.0.0/20',
      TransitGatewayId: vpcRoute.target.id,
    });
  });

  it('creates once more when only a propagated route holds the prefix', async () => {
    ec2Mock.on(CreateRouteCommand).rejectsOnce(awsError('RouteAlreadyExists')).resolves({ Return: true });
    ec2Mock.on(DescribeRouteTablesCommand).resolves(
      describeWith({
        DestinationCidrBlock: '10.3.0.0/20',
        GatewayId: 'vgw-0a1b2c3d4e5f60001',
        Origin: 'EnableVgwRoutePropagation',
      }),
    );
    const result = await applyAction(ec2, vpcRoute);
    expect(result).toMatchObject({
      outcome: 'changed',
      calls: ['CreateRoute', 'DescribeRouteTables', 'CreateRoute'],
    });
  });

  it("refuses to replace the VPC's local route", async () => {
    ec2Mock.on(CreateRouteCommand).rejects(awsError('RouteAlreadyExists'));
    ec2Mock.on(DescribeRouteTablesCommand).resolves(describeWith(local));
    const result = await applyAction(ec2, { ...vpcRoute, destination: '10.0.0.0/16' });
    expect(result).toMatchObject({ outcome: 'failed', calls: ['CreateRoute', 'DescribeRouteTables'] });
    expect(result.detail).toContain('local route');
    expect(ec2Mock.commandCalls(ReplaceRouteCommand)).toHaveLength(0);
  });
});

describe('vpc-static-route-absent', () => {
  it('deletes the route', async () => {
    ec2Mock.on(DeleteRouteCommand).resolves({});
    const result = await applyAction(ec2, vpcRouteAbsent);
    expect(result).toMatchObject({ outcome: 'changed', calls: ['DeleteRoute'] });
    expect(ec2Mock.commandCalls(DeleteRouteCommand)[0]?.args[0].input).toEqual({
      RouteTableId: vpcRouteAbsent.routeTableId,
      DestinationCidrBlock: vpcRouteAbsent.destination,
    });
  });

  it('is already so when the route is gone', async () => {
    ec2Mock.on(DeleteRouteCommand).rejects(awsError('InvalidRoute.NotFound'));
    const result = await applyAction(ec2, vpcRouteAbsent);
    expect(result).toMatchObject({ outcome: 'already-so', calls: ['DeleteRoute'] });
  });
});
