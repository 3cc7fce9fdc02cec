import {
  CreateTransitGatewayRouteCommand,
  DeleteTransitGatewayRouteCommand,
  EC2Client,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyAction } from '../../lib/aws/apply.js';
import { awsError, tgwRoute } from './apply-fixtures.js';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'us-east-1' });

beforeEach(() => {
  ec2Mock.reset();
});

describe('tgw-route', () => {
  const params = {
    TransitGatewayRouteTableId: tgwRoute.routeTableId,
    DestinationCidrBlock: tgwRoute.destination,
    TransitGatewayAttachmentId: tgwRoute.attachmentId,
  };
  const searchResult = (attachmentId: string, state = 'active') => ({
    Routes: [
      {
        DestinationCidrBlock: tgwRoute.destination,
        Type: 'static' as const,
        State: state as 'active',
        TransitGatewayAttachments: [
          { TransitGatewayAttachmentId: attachmentId, ResourceType: 'vpn' as const },
        ],
      },
    ],
  });

  it('replaces the route and reports changed', async () => {
    ec2Mock.on(ReplaceTransitGatewayRouteCommand).resolves({});
    const result = await applyAction(ec2, tgwRoute);
    expect(result).toMatchObject({
      outcome: 'changed',
      calls: ['ReplaceTransitGatewayRoute'],
      action: tgwRoute,
    });
    expect(result.errorCode).toBeUndefined();
    expect(ec2Mock.commandCalls(ReplaceTransitGatewayRouteCommand)[0]?.args[0].input).toEqual(params);
  });

  it.each(['InvalidRoute.NotFound', 'InvalidParameterValue'])(
    'creates the route when Replace says %s',
    async (code) => {
      ec2Mock.on(ReplaceTransitGatewayRouteCommand).rejects(awsError(code));
      ec2Mock.on(CreateTransitGatewayRouteCommand).resolves({});
      const result = await applyAction(ec2, tgwRoute);
      expect(result).toMatchObject({
        outcome: 'changed',
        calls: ['ReplaceTransitGatewayRoute', 'CreateTransitGatewayRoute'],
      });
      expect(ec2Mock.commandCalls(CreateTransitGatewayRouteCommand)[0]?.args[0].input).toEqual(params);
    },
  );

  it('is already so when a concurrent run created the same route', async () => {
    ec2Mock.on(ReplaceTransitGatewayRouteCommand).rejects(awsError('InvalidRoute.NotFound'));
    ec2Mock.on(CreateTransitGatewayRouteCommand).rejects(awsError('RouteAlreadyExists'));
    ec2Mock.on(SearchTransitGatewayRoutesCommand).resolves(searchResult(tgwRoute.attachmentId));
    const result = await applyAction(ec2, tgwRoute);
    expect(result).toMatchObject({
      outcome: 'already-so',
      calls: ['ReplaceTransitGatewayRoute', 'CreateTransitGatewayRoute', 'SearchTransitGatewayRoutes'],
    });
    expect(ec2Mock.commandCalls(SearchTransitGatewayRoutesCommand)[0]?.args[0].input).toEqual({
      TransitGatewayRouteTableId: tgwRoute.routeTableId,
      Filters: [{ Name: 'route-search.exact-match', Values: [tgwRoute.destination] }],
    });
  });

  it.each([
    ['another attachment', searchResult('tgw-attach-0a1b2c3d4e5f60001')],
    ['a blackhole naming ours', searchResult(tgwRoute.attachmentId, 'blackhole')],
    ['no static route', { Routes: [] }],
  ])('replaces once more when the concurrent route has %s', async (_, found) => {
    ec2Mock.on(ReplaceTransitGatewayRouteCommand).rejectsOnce(awsError('InvalidRoute.NotFound')).resolves({});
    ec2Mock.on(CreateTransitGatewayRouteCommand).rejects(awsError('RouteAlreadyExists'));
    ec2Mock.on(SearchTransitGatewayRoutesCommand).resolves(found);
    const result = await applyAction(ec2, tgwRoute);
    expect(result).toMatchObject({
      outcome: 'changed',
      calls: [
        'ReplaceTransitGatewayRoute',
        'CreateTransitGatewayRoute',
        'SearchTransitGatewayRoutes',
        'ReplaceTransitGatewayRoute',
      ],
    });
  });

  it('fails with the code of a Replace error that does not mean "missing"', async () => {
    ec2Mock
      .on(ReplaceTransitGatewayRouteCommand)
      .rejects(awsError('InvalidTransitGatewayAttachmentID.NotFound'));
    const result = await applyAction(ec2, tgwRoute);
    expect(result).toMatchObject({
      outcome: 'failed',
      errorCode: 'InvalidTransitGatewayAttachmentID.NotFound',
      calls: ['ReplaceTransitGatewayRoute'],
    });
  });
});

describe('tgw-route-absent', () => {
  const absent = {
    type: 'tgw-route-absent',
    routeTableId: tgwRoute.routeTableId,
    destination: tgwRoute.destination,
    previousAttachmentId: 'tgw-attach-0a1b2c3d4e5f60002',
  } as const;

  it('deletes the static route so the propagated route carries the prefix', async () => {
    ec2Mock.on(DeleteTransitGatewayRouteCommand).resolves({});
    const result = await applyAction(ec2, absent);
    expect(result).toMatchObject({ outcome: 'changed', calls: ['DeleteTransitGatewayRoute'] });
    expect(ec2Mock.commandCalls(DeleteTransitGatewayRouteCommand)[0]?.args[0].input).toEqual({
      TransitGatewayRouteTableId: absent.routeTableId,
      DestinationCidrBlock: absent.destination,
    });
  });

  it('is already so when the route is gone', async () => {
    ec2Mock.on(DeleteTransitGatewayRouteCommand).rejects(awsError('InvalidRoute.NotFound'));
    expect(await applyAction(ec2, absent)).toMatchObject({ outcome: 'already-so' });
  });
});
