import {
  EC2Client,
  SearchTransitGatewayRoutesCommand,
  type SearchTransitGatewayRoutesCommandInput,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObserveError } from '../../lib/aws/errors.js';
import { observeRoutes } from '../../lib/aws/observe-routes.js';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'eu-west-1' });
const TGW_RTB = 'tgw-rtb-0a1b2c3d4e5f60001';
const PREFIX = '10.3.0.0/20';

const route = (destination: string, attachment: string, type = 'propagated') => ({
  DestinationCidrBlock: destination,
  TransitGatewayAttachments: [{ TransitGatewayAttachmentId: attachment, ResourceType: 'vpn' as const }],
  Type: type as 'propagated' | 'static',
  State: 'active' as const,
});

function answerByFilter(answers: Record<string, object>) {
  ec2Mock.on(SearchTransitGatewayRoutesCommand).callsFake((input: SearchTransitGatewayRoutesCommandInput) => {
    const name = input.Filters?.[0]?.Name ?? '';
    return answers[name] ?? { Routes: [], AdditionalRoutesAvailable: false };
  });
}

beforeEach(() => {
  ec2Mock.reset();
});

describe('observeRoutes: routes covering a site prefix on a transit gateway', () => {
  it('reads the exact, covering (aggregate) and inside (shadowing) routes in three bounded searches', async () => {
    answerByFilter({
      'route-search.exact-match': { Routes: [route(PREFIX, 'tgw-attach-1', 'static')] },
      // An answer may repeat the exact route: it is kept once.
      'route-search.supernet-of-match': {
        Routes: [route('10.3.0.0/16', 'tgw-attach-2'), route(PREFIX, 'tgw-attach-1', 'static')],
      },
      'route-search.subnet-of-match': { Routes: [route('10.3.4.0/24', 'tgw-attach-3')] },
    });
    const result = await observeRoutes(ec2, {
      vpcRouteTableIds: [],
      tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: [PREFIX], covering: true }],
    });
    const calls = ec2Mock.commandCalls(SearchTransitGatewayRoutesCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Filters)).toEqual([
      [{ Name: 'route-search.exact-match', Values: [PREFIX] }],
      [{ Name: 'route-search.supernet-of-match', Values: [PREFIX] }],
      [{ Name: 'route-search.subnet-of-match', Values: [PREFIX] }],
    ]);
    expect(calls.every((c) => c.MaxResults === 1000)).toBe(true);
    expect(result.tgwRouteTables[TGW_RTB]).toStrictEqual({
      routeTableId: TGW_RTB,
      routes: [
        { destination: PREFIX, attachmentId: 'tgw-attach-1', type: 'static', state: 'active' },
        { destination: '10.3.0.0/16', attachmentId: 'tgw-attach-2', type: 'propagated', state: 'active' },
        { destination: '10.3.4.0/24', attachmentId: 'tgw-attach-3', type: 'propagated', state: 'active' },
      ],
    });
  });

  it('keeps the exact routes when the search inside the prefix is truncated, and says so', async () => {
    answerByFilter({
      'route-search.exact-match': { Routes: [route(PREFIX, 'tgw-attach-1', 'static')] },
      'route-search.subnet-of-match': {
        Routes: [route('10.3.4.0/24', 'tgw-attach-3')],
        AdditionalRoutesAvailable: true,
      },
    });
    const result = await observeRoutes(ec2, {
      vpcRouteTableIds: [],
      tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: [PREFIX], covering: true }],
    });
    expect(result.tgwRouteTables[TGW_RTB]?.moreSpecificIncomplete).toBe(true);
    expect(result.tgwRouteTables[TGW_RTB]?.routes.map((r) => r.destination)).toEqual([PREFIX, '10.3.4.0/24']);
  });

  it('refuses a truncated answer for the covering routes: at most 33 per prefix exist', async () => {
    answerByFilter({ 'route-search.supernet-of-match': { Routes: [], AdditionalRoutesAvailable: true } });
    const error = await observeRoutes(ec2, {
      vpcRouteTableIds: [],
      tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: [PREFIX], covering: true }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObserveError);
    expect((error as Error).message).toContain('truncated (AdditionalRoutesAvailable) for supernet-of-match');
  });

  it('searches exact matches only when the scope does not ask for covering routes', async () => {
    answerByFilter({});
    await observeRoutes(ec2, {
      vpcRouteTableIds: [],
      tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: [PREFIX] }],
    });
    expect(ec2Mock.commandCalls(SearchTransitGatewayRoutesCommand)).toHaveLength(1);
  });

  it('does not search inside host routes (the read-back of a probe address): nothing is more specific', async () => {
    answerByFilter({ 'route-search.supernet-of-match': { Routes: [route('10.3.0.0/20', 'tgw-attach-1')] } });
    const result = await observeRoutes(ec2, {
      vpcRouteTableIds: [],
      tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: ['10.3.0.1/32'], covering: true }],
    });
    const filters = ec2Mock
      .commandCalls(SearchTransitGatewayRoutesCommand)
      .map((c) => c.args[0].input.Filters);
    expect(filters).toEqual([
      [{ Name: 'route-search.exact-match', Values: ['10.3.0.1/32'] }],
      [{ Name: 'route-search.supernet-of-match', Values: ['10.3.0.1/32'] }],
    ]);
    expect(result.tgwRouteTables[TGW_RTB]?.routes.map((r) => r.destination)).toEqual(['10.3.0.0/20']);
  });
});
