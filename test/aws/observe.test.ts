import {
  DescribeRouteTablesCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
  EC2ServiceException,
  type RouteTable,
  SearchTransitGatewayRoutesCommand,
  type VpnConnection,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObserveError } from '../../lib/aws/errors.js';
import { observe } from '../../lib/aws/observe.js';
import { observeRoutes } from '../../lib/aws/observe-routes.js';
import { observeVpnConnections } from '../../lib/aws/observe-vpn.js';
import type { RouteScope, UnreadableField } from '../../lib/domain/snapshot.js';
import { TunnelWardenError } from '../../lib/errors.js';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'eu-west-1' });

beforeEach(() => {
  ec2Mock.reset();
});

function awsError(name: string, message: string): EC2ServiceException {
  return new EC2ServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const CGW_KEY = 's3cr3tKey_123';
const TUNNEL_PSK = 'tunnelPsk_456';

/** The fact sheet's DescribeVpnConnections sample, as the SDK deserialises it, plus the secret-bearing fields. */
const vgwVpn: VpnConnection = {
  VpnConnectionId: 'vpn-0abc1234def567890',
  State: 'available',
  Type: 'ipsec.1',
  Category: 'VPN',
  VpnGatewayId: 'vgw-0123456789abcdef0',
  CustomerGatewayId: 'cgw-0fedcba9876543210',
  CustomerGatewayConfiguration: `<vpn_connection id="vpn-0abc1234def567890"><ipsec_tunnel><ike><pre_shared_key>${CGW_KEY}</pre_shared_key></ike></ipsec_tunnel></vpn_connection>`,
  Options: {
    StaticRoutesOnly: false,
    TunnelInsideIpVersion: 'ipv4',
    TunnelBandwidth: 'standard',
    TunnelOptions: [
      {
        OutsideIpAddress: '198.51.100.10',
        TunnelInsideCidr: '169.254.10.0/30',
        PreSharedKey: TUNNEL_PSK,
        DpdTimeoutSeconds: 30,
        DpdTimeoutAction: 'restart',
        StartupAction: 'start',
        IkeVersions: [{ Value: 'ikev2' }],
        EnableTunnelLifecycleControl: true,
      },
      { OutsideIpAddress: '198.51.100.11', TunnelInsideCidr: '169.254.11.0/30', PreSharedKey: TUNNEL_PSK },
    ],
  },
  Routes: [],
  Tags: [
    { Key: 'Name', Value: 'seoul-dc-primary' },
    { Key: 'tunnel-warden:site', Value: 'seoul-dc' },
  ],
  VgwTelemetry: [
    {
      OutsideIpAddress: '198.51.100.10',
      Status: 'UP',
      StatusMessage: '2 BGP ROUTES',
      AcceptedRouteCount: 2,
      LastStatusChange: new Date('2026-03-02T10:01:05.000Z'),
    },
    {
      OutsideIpAddress: '198.51.100.11',
      Status: 'DOWN',
      StatusMessage: 'IPSEC IS DOWN',
      AcceptedRouteCount: 0,
      LastStatusChange: new Date('2026-03-02T09:58:41.000Z'),
    },
  ],
};

/** A static TGW VPN whose telemetry omits the optional fields. */
const tgwVpn: VpnConnection = {
  VpnConnectionId: 'vpn-0abc1234def567891',
  State: 'pending',
  Type: 'ipsec.1',
  TransitGatewayId: 'tgw-0123456789abcdef0',
  CustomerGatewayId: 'cgw-0fedcba9876543211',
  Options: { StaticRoutesOnly: true },
  Routes: [
    { DestinationCidrBlock: '10.3.0.0/20', Source: 'Static', State: 'available' },
    { DestinationCidrBlock: '10.4.0.0/20', Source: 'Static', State: 'deleting' },
  ],
  VgwTelemetry: [
    { OutsideIpAddress: '203.0.113.20', Status: 'DOWN', LastStatusChange: new Date('2026-03-01T00:00:00Z') },
  ],
};

const deletedVpn: VpnConnection = {
  VpnConnectionId: 'vpn-0abc1234def567892',
  State: 'deleted',
  Type: 'ipsec.1',
  VpnGatewayId: 'vgw-0123456789abcdef0',
};

describe('observeVpnConnections', () => {
  it('maps every snapshot field and nothing else', async () => {
    ec2Mock.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [vgwVpn, tgwVpn] });
    const result = await observeVpnConnections(ec2, [vgwVpn.VpnConnectionId!, tgwVpn.VpnConnectionId!]);
    expect(result).toStrictEqual({
      'vpn-0abc1234def567890': {
        vpnId: 'vpn-0abc1234def567890',
        state: 'available',
        staticRoutesOnly: false,
        vpnGatewayId: 'vgw-0123456789abcdef0',
        tunnels: [
          {
            outsideIp: '198.51.100.10',
            status: 'UP',
            lastStatusChange: '2026-03-02T10:01:05.000Z',
            statusMessage: '2 BGP ROUTES',
            acceptedRouteCount: 2,
          },
          {
            outsideIp: '198.51.100.11',
            status: 'DOWN',
            lastStatusChange: '2026-03-02T09:58:41.000Z',
            statusMessage: 'IPSEC IS DOWN',
            acceptedRouteCount: 0,
          },
        ],
        staticRoutes: [],
        tags: { Name: 'seoul-dc-primary', 'tunnel-warden:site': 'seoul-dc' },
        unreadable: [],
      },
      'vpn-0abc1234def567891': {
        vpnId: 'vpn-0abc1234def567891',
        state: 'pending',
        staticRoutesOnly: true,
        transitGatewayId: 'tgw-0123456789abcdef0',
        tunnels: [
          {
            outsideIp: '203.0.113.20',
            status: 'DOWN',
            lastStatusChange: '2026-03-01T00:00:00.000Z',
            statusMessage: '',
            acceptedRouteCount: 0,
          },
        ],
        staticRoutes: [
          { destination: '10.3.0.0/20', state: 'available' },
          { destination: '10.4.0.0/20', state: 'deleting' },
        ],
        tags: {},
        unreadable: [],
      },
    });
    // exactOptionalPropertyTypes: the other gateway is an absent key, not an undefined one.
    expect(Object.keys(result['vpn-0abc1234def567890']!)).not.toContain('transitGatewayId');
    expect(Object.keys(result['vpn-0abc1234def567891']!)).not.toContain('vpnGatewayId');
  });

  it('never lets a pre-shared key into the result', async () => {
    ec2Mock.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [vgwVpn] });
    const text = JSON.stringify(await observeVpnConnections(ec2, ['vpn-0abc1234def567890']));
    for (const secret of [
      CGW_KEY,
      TUNNEL_PSK,
      'pre_shared_key',
      'PreSharedKey',
      'CustomerGatewayConfiguration',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('makes a single call for many ids, without duplicates', async () => {
    ec2Mock.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [vgwVpn, tgwVpn] });
    const ids = ['vpn-0abc1234def567890', 'vpn-0abc1234def567891', 'vpn-0abc1234def567893'];
    await observeVpnConnections(ec2, [...ids, 'vpn-0abc1234def567890']);
    const calls = ec2Mock.commandCalls(DescribeVpnConnectionsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toStrictEqual({ VpnConnectionIds: ids });
  });

  it('skips deleted connections', async () => {
    ec2Mock.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [vgwVpn, deletedVpn] });
    const result = await observeVpnConnections(ec2, ['vpn-0abc1234def567890', 'vpn-0abc1234def567892']);
    expect(Object.keys(result)).toStrictEqual(['vpn-0abc1234def567890']);
  });

  it('makes no call for no ids', async () => {
    expect(await observeVpnConnections(ec2, [])).toStrictEqual({});
    expect(ec2Mock.calls()).toHaveLength(0);
  });

  it('retries once without the ids AWS says do not exist', async () => {
    ec2Mock
      .on(DescribeVpnConnectionsCommand)
      .rejectsOnce(
        awsError(
          'InvalidVpnConnectionID.NotFound',
          "The vpnConnection ID 'vpn-0dead0000000000000' does not exist",
        ),
      )
      .resolves({ VpnConnections: [vgwVpn] });
    const result = await observeVpnConnections(ec2, ['vpn-0abc1234def567890', 'vpn-0dead0000000000000']);
    expect(Object.keys(result)).toStrictEqual(['vpn-0abc1234def567890']);
    const calls = ec2Mock.commandCalls(DescribeVpnConnectionsCommand);
    expect(calls.map((c) => c.args[0].input.VpnConnectionIds)).toStrictEqual([
      ['vpn-0abc1234def567890', 'vpn-0dead0000000000000'],
      ['vpn-0abc1234def567890'],
    ]);
  });

  it('returns nothing, without a retry, when every id is missing', async () => {
    ec2Mock
      .on(DescribeVpnConnectionsCommand)
      .rejects(
        awsError(
          'InvalidVpnConnectionID.NotFound',
          "The vpnConnection ID 'vpn-0dead0000000000000' does not exist",
        ),
      );
    expect(await observeVpnConnections(ec2, ['vpn-0dead0000000000000'])).toStrictEqual({});
    expect(ec2Mock.commandCalls(DescribeVpnConnectionsCommand)).toHaveLength(1);
  });

  it('retries only once, and fails when the retry fails', async () => {
    const second = awsError(
      'InvalidVpnConnectionID.NotFound',
      "The vpnConnection ID 'vpn-0abc1234def567891' does not exist",
    );
    ec2Mock
      .on(DescribeVpnConnectionsCommand)
      .rejectsOnce(
        awsError(
          'InvalidVpnConnectionID.NotFound',
          "The vpnConnection ID 'vpn-0dead0000000000000' does not exist",
        ),
      )
      .rejects(second);
    const error = await observeVpnConnections(ec2, [
      'vpn-0abc1234def567890',
      'vpn-0abc1234def567891',
      'vpn-0dead0000000000000',
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObserveError);
    expect((error as ObserveError).cause).toBe(second);
    expect(ec2Mock.commandCalls(DescribeVpnConnectionsCommand)).toHaveLength(2);
  });

  it('fails when the NotFound message names none of the ids asked for', async () => {
    ec2Mock
      .on(DescribeVpnConnectionsCommand)
      .rejects(awsError('InvalidVpnConnectionID.NotFound', 'Not found'));
    await expect(observeVpnConnections(ec2, ['vpn-0abc1234def567890'])).rejects.toThrow(ObserveError);
    expect(ec2Mock.commandCalls(DescribeVpnConnectionsCommand)).toHaveLength(1);
  });

  it('wraps other SDK errors with the API, the ids and the cause', async () => {
    const cause = awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    ec2Mock.on(DescribeVpnConnectionsCommand).rejects(cause);
    const error = await observeVpnConnections(ec2, ['vpn-0abc1234def567890', 'vpn-0abc1234def567891']).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ObserveError);
    expect(error).toBeInstanceOf(TunnelWardenError);
    expect((error as ObserveError).name).toBe('ObserveError');
    expect((error as ObserveError).message).toBe(
      'DescribeVpnConnections vpn-0abc1234def567890, vpn-0abc1234def567891 failed: You are not authorized to perform this operation.',
    );
    expect((error as ObserveError).cause).toBe(cause);
  });

  it('reads a connection answered without VgwTelemetry as unknown, not as "0 tunnels, all DOWN"', async () => {
    for (const telemetry of [undefined, []]) {
      const { VgwTelemetry: _dropped, ...rest } = vgwVpn;
      const silent = telemetry === undefined ? rest : { ...rest, VgwTelemetry: telemetry };
      ec2Mock.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [silent] });
      const result = await observeVpnConnections(ec2, ['vpn-0abc1234def567890']);
      expect(result['vpn-0abc1234def567890']).toMatchObject({
        state: 'available',
        tunnels: [],
        unreadable: [{ field: 'VgwTelemetry', problem: 'missing', affects: 'health' }],
      });
    }
  });

  it('reads a tunnel with an unknown status, no timestamp or no entry at all as unreadable, keeping the rest', async () => {
    const [up, down] = vgwVpn.VgwTelemetry ?? [];
    const cases = [
      [{ ...down, Status: 'IMPAIRED' as 'UP' }, 'VgwTelemetry[198.51.100.11].Status', '"IMPAIRED"'],
      [{ ...down, Status: undefined }, 'VgwTelemetry[198.51.100.11].Status', 'missing'],
      [{ ...down, LastStatusChange: undefined }, 'VgwTelemetry[198.51.100.11].LastStatusChange', 'missing'],
      [
        { ...down, LastStatusChange: new Date(Number.NaN) },
        'VgwTelemetry[198.51.100.11].LastStatusChange',
        'not a date',
      ],
      [{ ...down, OutsideIpAddress: undefined }, 'VgwTelemetry[1].OutsideIpAddress', 'missing'],
    ] as const;
    for (const [odd, field, problem] of cases) {
      ec2Mock
        .on(DescribeVpnConnectionsCommand)
        .resolves({ VpnConnections: [{ ...vgwVpn, VgwTelemetry: [up ?? {}, odd] }] });
      const result = await observeVpnConnections(ec2, ['vpn-0abc1234def567890']);
      const vpn = result['vpn-0abc1234def567890'];
      expect(vpn?.tunnels.map((t) => t.outsideIp)).toEqual(['198.51.100.10']);
      // The tunnel the options name but the telemetry no longer identifies is missing too.
      const expected: UnreadableField[] = [{ field, problem, affects: 'health' }];
      if (field.endsWith('OutsideIpAddress'))
        expected.push({ field: 'VgwTelemetry[198.51.100.11]', problem: 'missing', affects: 'health' });
      expect(vpn?.unreadable).toEqual(expected);
    }
  });

  it('names a tunnel of the options that the telemetry leaves out', async () => {
    const [up] = vgwVpn.VgwTelemetry ?? [];
    ec2Mock
      .on(DescribeVpnConnectionsCommand)
      .resolves({ VpnConnections: [{ ...vgwVpn, VgwTelemetry: [up ?? {}] }] });
    const result = await observeVpnConnections(ec2, ['vpn-0abc1234def567890']);
    expect(result['vpn-0abc1234def567890']?.unreadable).toEqual([
      { field: 'VgwTelemetry[198.51.100.11]', problem: 'missing', affects: 'health' },
    ]);
  });

  it('reads missing Options as an unknown routing type, read conservatively as not static', async () => {
    const { Options: _dropped, ...rest } = vgwVpn;
    ec2Mock.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [rest] });
    const result = await observeVpnConnections(ec2, ['vpn-0abc1234def567890']);
    expect(result['vpn-0abc1234def567890']).toMatchObject({
      staticRoutesOnly: false,
      unreadable: [{ field: 'Options.StaticRoutesOnly', problem: 'missing', affects: 'routing' }],
    });
  });

  it('still refuses a connection state it cannot represent', async () => {
    ec2Mock
      .on(DescribeVpnConnectionsCommand)
      .resolves({ VpnConnections: [{ ...vgwVpn, State: 'modifying' as 'available' }] });
    await expect(observeVpnConnections(ec2, ['vpn-0abc1234def567890'])).rejects.toThrow(
      /vpn-0abc1234def567890 State: unexpected value "modifying"/,
    );
  });
});

const appTable: RouteTable = {
  RouteTableId: 'rtb-0a1b2c3d4e5f60001',
  VpcId: 'vpc-0a1b2c3d4e5f60001',
  OwnerId: '111122223333',
  Associations: [
    { Main: false, RouteTableAssociationId: 'rtbassoc-0a1b2c3d4e5f60001', SubnetId: 'subnet-01' },
  ],
  PropagatingVgws: [{ GatewayId: 'vgw-0123456789abcdef0' }],
  Tags: [{ Key: 'Name', Value: 'app-private' }],
  Routes: [
    { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
    {
      DestinationCidrBlock: '10.3.0.0/20',
      GatewayId: 'vgw-0123456789abcdef0',
      Origin: 'EnableVgwRoutePropagation',
      State: 'active',
    },
    { DestinationCidrBlock: '10.4.0.0/20', TransitGatewayId: 'tgw-0123456789abcdef0', Origin: 'CreateRoute' },
    {
      DestinationCidrBlock: '10.5.0.0/20',
      InstanceId: 'i-0123456789abcdef0',
      InstanceOwnerId: '111122223333',
      NetworkInterfaceId: 'eni-0123456789abcdef0',
      Origin: 'CreateRoute',
      State: 'blackhole',
    },
    {
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: 'nat-0123456789abcdef0',
      Origin: 'CreateRoute',
      State: 'active',
    },
    {
      DestinationCidrBlock: '172.16.0.0/16',
      VpcPeeringConnectionId: 'pcx-0123456789abcdef0',
      Origin: 'CreateRoute',
    },
    { DestinationCidrBlock: '192.0.2.0/24', GatewayId: 'igw-0123456789abcdef0', Origin: 'CreateRoute' },
    {
      DestinationCidrBlock: '10.6.0.0/20',
      Origin: 'Advertisement',
      State: 'filtered',
      GatewayId: 'vgw-0123456789abcdef1',
    },
    {
      DestinationIpv6CidrBlock: '2001:db8::/56',
      GatewayId: 'local',
      Origin: 'CreateRouteTable',
      State: 'active',
    },
    {
      DestinationPrefixListId: 'pl-0123456789abcdef0',
      GatewayId: 'vpce-0123456789abcdef0',
      Origin: 'CreateRoute',
    },
  ],
};

const otherTable: RouteTable = {
  RouteTableId: 'rtb-0a1b2c3d4e5f60002',
  VpcId: 'vpc-0a1b2c3d4e5f60001',
  Routes: [
    { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
  ],
};

const noRoutes: RouteScope = { vpcRouteTableIds: [], tgwRouteTables: [] };

describe('observeRoutes: VPC route tables', () => {
  it('maps targets, origins, states, propagation and tags, skipping IPv6 and prefix-list routes', async () => {
    ec2Mock.on(DescribeRouteTablesCommand).resolves({ RouteTables: [appTable] });
    const { vpcRouteTables } = await observeRoutes(ec2, {
      ...noRoutes,
      vpcRouteTableIds: ['rtb-0a1b2c3d4e5f60001'],
    });
    expect(vpcRouteTables).toStrictEqual({
      'rtb-0a1b2c3d4e5f60001': {
        routeTableId: 'rtb-0a1b2c3d4e5f60001',
        vpcId: 'vpc-0a1b2c3d4e5f60001',
        routes: [
          {
            destination: '10.0.0.0/16',
            target: { kind: 'local', id: 'local' },
            origin: 'CreateRouteTable',
            state: 'active',
          },
          {
            destination: '10.3.0.0/20',
            target: { kind: 'vpn-gateway', id: 'vgw-0123456789abcdef0' },
            origin: 'EnableVgwRoutePropagation',
            state: 'active',
          },
          {
            destination: '10.4.0.0/20',
            target: { kind: 'transit-gateway', id: 'tgw-0123456789abcdef0' },
            origin: 'CreateRoute',
            state: 'active',
          },
          {
            destination: '10.5.0.0/20',
            target: { kind: 'network-interface', id: 'eni-0123456789abcdef0' },
            origin: 'CreateRoute',
            state: 'blackhole',
          },
          {
            destination: '0.0.0.0/0',
            target: { kind: 'other', id: 'nat-0123456789abcdef0' },
            origin: 'CreateRoute',
            state: 'active',
          },
          {
            destination: '172.16.0.0/16',
            target: { kind: 'other', id: 'pcx-0123456789abcdef0' },
            origin: 'CreateRoute',
            state: 'active',
          },
          {
            destination: '192.0.2.0/24',
            target: { kind: 'other', id: 'igw-0123456789abcdef0' },
            origin: 'CreateRoute',
            state: 'active',
          },
          {
            destination: '10.6.0.0/20',
            target: { kind: 'vpn-gateway', id: 'vgw-0123456789abcdef1' },
            origin: 'Advertisement',
            state: 'filtered',
          },
        ],
        propagatingGateways: ['vgw-0123456789abcdef0'],
        tags: { Name: 'app-private' },
      },
    });
  });

  it('filters by route-table-id and follows NextToken across pages', async () => {
    ec2Mock
      .on(DescribeRouteTablesCommand)
      .resolvesOnce({ RouteTables: [appTable], NextToken: 'page-2' })
      .resolvesOnce({ RouteTables: [otherTable] });
    const ids = ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002', 'rtb-0a1b2c3d4e5f60009'];
    const { vpcRouteTables } = await observeRoutes(ec2, { ...noRoutes, vpcRouteTableIds: ids });
    // The third id does not exist: absent from the answer, so absent from the result, without an error.
    expect(Object.keys(vpcRouteTables)).toStrictEqual(['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002']);
    const inputs = ec2Mock.commandCalls(DescribeRouteTablesCommand).map((c) => c.args[0].input);
    const filter = [{ Name: 'route-table-id', Values: ids }];
    expect(inputs).toStrictEqual([
      { Filters: filter, MaxResults: 100, NextToken: undefined },
      { Filters: filter, MaxResults: 100, NextToken: 'page-2' },
    ]);
  });

  it('stops on a NextToken that repeats', async () => {
    ec2Mock.on(DescribeRouteTablesCommand).resolves({ RouteTables: [appTable], NextToken: 'again' });
    await expect(
      observeRoutes(ec2, { ...noRoutes, vpcRouteTableIds: ['rtb-0a1b2c3d4e5f60001'] }),
    ).rejects.toThrow(ObserveError);
    expect(ec2Mock.commandCalls(DescribeRouteTablesCommand)).toHaveLength(2);
  });

  it('wraps an SDK failure with the API, the table ids and the cause', async () => {
    const cause = awsError('RequestLimitExceeded', 'Request limit exceeded.');
    ec2Mock.on(DescribeRouteTablesCommand).rejects(cause);
    const error = await observeRoutes(ec2, {
      ...noRoutes,
      vpcRouteTableIds: ['rtb-0a1b2c3d4e5f60001'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObserveError);
    expect((error as Error).message).toBe(
      'DescribeRouteTables rtb-0a1b2c3d4e5f60001 failed: Request limit exceeded.',
    );
    expect((error as Error).cause).toBe(cause);
  });

  it('refuses a route origin it does not know', async () => {
    const odd: RouteTable = {
      ...otherTable,
      Routes: [{ DestinationCidrBlock: '10.9.0.0/16', Origin: 'Magic' as 'CreateRoute' }],
    };
    ec2Mock.on(DescribeRouteTablesCommand).resolves({ RouteTables: [odd] });
    await expect(
      observeRoutes(ec2, { ...noRoutes, vpcRouteTableIds: ['rtb-0a1b2c3d4e5f60002'] }),
    ).rejects.toThrow(
      'DescribeRouteTables rtb-0a1b2c3d4e5f60002 route 10.9.0.0/16 Origin: unexpected value "Magic"',
    );
  });
});

const TGW_RTB = 'tgw-rtb-0a1b2c3d4e5f60001';
const TGW_RTB_2 = 'tgw-rtb-0a1b2c3d4e5f60002';

describe('observeRoutes: transit gateway route tables', () => {
  it('searches each table once with the exact-match filter and maps the routes', async () => {
    ec2Mock.on(SearchTransitGatewayRoutesCommand).resolves({
      AdditionalRoutesAvailable: false,
      Routes: [
        {
          DestinationCidrBlock: '10.3.0.0/20',
          TransitGatewayAttachments: [
            {
              ResourceId: 'vpn-0abc1234def567891',
              TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
              ResourceType: 'vpn',
            },
          ],
          Type: 'propagated',
          State: 'active',
        },
        { DestinationCidrBlock: '10.4.0.0/20', Type: 'static', State: 'blackhole' },
        { PrefixListId: 'pl-0123456789abcdef0', Type: 'static', State: 'active' },
      ],
    });
    const result = await observeRoutes(ec2, {
      vpcRouteTableIds: [],
      tgwRouteTables: [
        { routeTableId: TGW_RTB, destinations: ['10.3.0.0/20'] },
        { routeTableId: TGW_RTB, destinations: ['10.4.0.0/20', '10.3.0.0/20'] },
      ],
    });
    const calls = ec2Mock.commandCalls(SearchTransitGatewayRoutesCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toStrictEqual({
      TransitGatewayRouteTableId: TGW_RTB,
      Filters: [{ Name: 'route-search.exact-match', Values: ['10.3.0.0/20', '10.4.0.0/20'] }],
      MaxResults: 1000,
    });
    expect(result.tgwRouteTables).toStrictEqual({
      [TGW_RTB]: {
        routeTableId: TGW_RTB,
        routes: [
          {
            destination: '10.3.0.0/20',
            attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
            type: 'propagated',
            state: 'active',
          },
          { destination: '10.4.0.0/20', type: 'static', state: 'blackhole' },
        ],
      },
    });
    expect(Object.keys(result.tgwRouteTables[TGW_RTB]!.routes[1]!)).not.toContain('attachmentId');
    expect(ec2Mock.commandCalls(DescribeRouteTablesCommand)).toHaveLength(0);
  });

  it('keeps every attachment of an ECMP route, not only the first', async () => {
    const vpnAttachment = (n: string) => ({
      ResourceId: `vpn-0abc1234def56789${n}`,
      TransitGatewayAttachmentId: `tgw-attach-0a1b2c3d4e5f6000${n}`,
      ResourceType: 'vpn' as const,
    });
    ec2Mock.on(SearchTransitGatewayRoutesCommand).resolves({
      AdditionalRoutesAvailable: false,
      Routes: [
        {
          DestinationCidrBlock: '10.3.0.0/20',
          TransitGatewayAttachments: [vpnAttachment('1'), vpnAttachment('2')],
          Type: 'propagated',
          State: 'active',
        },
      ],
    });
    const result = await observeRoutes(ec2, {
      vpcRouteTableIds: [],
      tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: ['10.3.0.0/20'] }],
    });
    expect(result.tgwRouteTables[TGW_RTB]?.routes).toStrictEqual([
      {
        destination: '10.3.0.0/20',
        attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
        attachmentIds: ['tgw-attach-0a1b2c3d4e5f60001', 'tgw-attach-0a1b2c3d4e5f60002'],
        type: 'propagated',
        state: 'active',
      },
    ]);
  });

  it('refuses a truncated answer (AdditionalRoutesAvailable)', async () => {
    ec2Mock.on(SearchTransitGatewayRoutesCommand).resolves({ AdditionalRoutesAvailable: true, Routes: [] });
    const scope = {
      vpcRouteTableIds: [],
      tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: ['10.3.0.0/20'] }],
    };
    const error = await observeRoutes(ec2, scope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObserveError);
    expect((error as Error).message).toContain(`SearchTransitGatewayRoutes ${TGW_RTB}`);
    expect((error as Error).message).toContain('AdditionalRoutesAvailable');
  });

  it('leaves out a table that does not exist and keeps the others', async () => {
    ec2Mock
      .on(SearchTransitGatewayRoutesCommand, { TransitGatewayRouteTableId: TGW_RTB })
      .rejects(
        awsError(
          'InvalidRouteTableID.NotFound',
          `The transitGatewayRouteTable ID '${TGW_RTB}' does not exist`,
        ),
      )
      .on(SearchTransitGatewayRoutesCommand, { TransitGatewayRouteTableId: TGW_RTB_2 })
      .resolves({ Routes: [], AdditionalRoutesAvailable: false });
    const { tgwRouteTables } = await observeRoutes(ec2, {
      vpcRouteTableIds: [],
      tgwRouteTables: [
        { routeTableId: TGW_RTB, destinations: ['10.3.0.0/20'] },
        { routeTableId: TGW_RTB_2, destinations: ['10.3.0.0/20'] },
      ],
    });
    expect(tgwRouteTables).toStrictEqual({ [TGW_RTB_2]: { routeTableId: TGW_RTB_2, routes: [] } });
  });

  it('wraps other SDK errors with the table id and the cause', async () => {
    const cause = awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.');
    ec2Mock.on(SearchTransitGatewayRoutesCommand).rejects(cause);
    const scope = {
      vpcRouteTableIds: [],
      tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: ['10.3.0.0/20'] }],
    };
    const error = await observeRoutes(ec2, scope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObserveError);
    expect((error as Error).message).toBe(
      `SearchTransitGatewayRoutes ${TGW_RTB} failed: You are not authorized to perform this operation.`,
    );
    expect((error as Error).cause).toBe(cause);
  });

  it('makes no call for an empty scope, nor for a table asked about no destination', async () => {
    expect(await observeRoutes(ec2, noRoutes)).toStrictEqual({ vpcRouteTables: {}, tgwRouteTables: {} });
    const { tgwRouteTables } = await observeRoutes(ec2, {
      vpcRouteTableIds: [],
      tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: [] }],
    });
    expect(tgwRouteTables).toStrictEqual({ [TGW_RTB]: { routeTableId: TGW_RTB, routes: [] } });
    expect(ec2Mock.calls()).toHaveLength(0);
  });
});

describe('observe', () => {
  it('reads VPNs and routes concurrently into one snapshot with no secrets', async () => {
    let releaseVpns: () => void = () => undefined;
    const vpnsHeld = new Promise<void>((resolve) => {
      releaseVpns = resolve;
    });
    ec2Mock.on(DescribeVpnConnectionsCommand).callsFake(async () => {
      await vpnsHeld;
      return { VpnConnections: [vgwVpn, deletedVpn] };
    });
    ec2Mock.on(DescribeRouteTablesCommand).callsFake(async () => {
      // Reached while DescribeVpnConnections is still pending: the two reads overlap.
      releaseVpns();
      return { RouteTables: [otherTable] };
    });
    ec2Mock.on(SearchTransitGatewayRoutesCommand).resolves({ Routes: [], AdditionalRoutesAvailable: false });

    const snapshot = await observe(
      ec2,
      ['vpn-0abc1234def567890', 'vpn-0abc1234def567892'],
      {
        vpcRouteTableIds: ['rtb-0a1b2c3d4e5f60002'],
        tgwRouteTables: [{ routeTableId: TGW_RTB, destinations: ['10.3.0.0/20'] }],
      },
      new Date('2026-03-02T10:05:40.989Z'),
    );
    expect(snapshot.takenAt).toBe('2026-03-02T10:05:40.989Z');
    expect(Object.keys(snapshot.vpnConnections)).toStrictEqual(['vpn-0abc1234def567890']);
    expect(Object.keys(snapshot.vpcRouteTables)).toStrictEqual(['rtb-0a1b2c3d4e5f60002']);
    expect(snapshot.tgwRouteTables).toStrictEqual({ [TGW_RTB]: { routeTableId: TGW_RTB, routes: [] } });
    const text = JSON.stringify(snapshot);
    expect(text).not.toContain(CGW_KEY);
    expect(text).not.toContain(TUNNEL_PSK);
  });
});
