import {
  DescribeRouteTablesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeVpnConnectionsCommand,
  GetVpnTunnelReplacementStatusCommand,
  paginateDescribeRouteTables,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../lib/twin/topologies/demo.js';
import { DEMO_TUNNELS_SINCE, DEMO_VPN_IDS, useDemoTwin } from './helpers.js';

const { seoul, busan } = DEMO;
const [rtbA] = DEMO.routeTableIds;

const h = useDemoTwin();

describe('DescribeVpnConnections through the real SDK', () => {
  it('parses every field the observer reads, and the options an audit reads', async () => {
    const out = await h.ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [busan.bgp.vpnId] }));
    const [vpn] = out.VpnConnections ?? [];
    expect(vpn).toMatchObject({
      VpnConnectionId: busan.bgp.vpnId,
      State: 'available',
      Type: 'ipsec.1',
      CustomerGatewayId: busan.bgp.customerGatewayId,
      VpnGatewayId: DEMO.vgwId,
      Options: { StaticRoutesOnly: false },
      Tags: expect.arrayContaining([{ Key: 'tunnel-warden:managed', Value: 'true' }]),
      Routes: [],
    });
    expect(vpn?.TransitGatewayId).toBeUndefined();
    expect(vpn?.VgwTelemetry).toEqual([
      {
        OutsideIpAddress: '198.51.100.30',
        Status: 'UP',
        StatusMessage: '1 BGP ROUTES',
        AcceptedRouteCount: 1,
        LastStatusChange: DEMO_TUNNELS_SINCE,
      },
      {
        OutsideIpAddress: '198.51.100.31',
        Status: 'UP',
        StatusMessage: '1 BGP ROUTES',
        AcceptedRouteCount: 1,
        LastStatusChange: DEMO_TUNNELS_SINCE,
      },
    ]);
    expect(vpn?.Options?.TunnelOptions?.[0]).toMatchObject({
      OutsideIpAddress: '198.51.100.30',
      DpdTimeoutSeconds: 30,
      DpdTimeoutAction: 'restart',
      StartupAction: 'start',
      IkeVersions: [{ Value: 'ikev2' }],
      EnableTunnelLifecycleControl: true,
      PreSharedKey: expect.stringMatching(/^twinPsk\./),
    });
    expect(vpn?.CustomerGatewayConfiguration).toContain('<pre_shared_key>twinPsk.');
  });

  it('filters by state, gateway, transit gateway and tag', async () => {
    const ids = async (Filters: { Name: string; Values: string[] }[]) =>
      ((await h.ec2.send(new DescribeVpnConnectionsCommand({ Filters }))).VpnConnections ?? []).map(
        (v) => v.VpnConnectionId,
      );
    expect(await ids([{ Name: 'transit-gateway-id', Values: [DEMO.tgwId] }])).toEqual([
      seoul.primary.vpnId,
      seoul.backup.vpnId,
      busan.backup.vpnId,
    ]);
    expect(await ids([{ Name: 'vpn-gateway-id', Values: [DEMO.vgwId] }])).toEqual([busan.bgp.vpnId]);
    expect(
      await ids([
        { Name: 'tag:Name', Values: ['seoul-*'] },
        { Name: 'state', Values: ['available'] },
      ]),
    ).toEqual([seoul.primary.vpnId, seoul.backup.vpnId]);
    expect(await ids([{ Name: 'vpn-connection-id', Values: [busan.backup.vpnId] }])).toEqual([
      busan.backup.vpnId,
    ]);
    expect(await ids([{ Name: 'tag:tunnel-warden:managed', Values: ['true'] }])).toEqual(DEMO_VPN_IDS);
  });

  it('answers InvalidVpnConnectionID.NotFound naming the unknown id', async () => {
    const call = h.ec2.send(
      new DescribeVpnConnectionsCommand({ VpnConnectionIds: [busan.bgp.vpnId, 'vpn-0000000000000dead'] }),
    );
    await expect(call).rejects.toMatchObject({
      name: 'InvalidVpnConnectionID.NotFound',
      message: "The vpnConnection ID 'vpn-0000000000000dead' does not exist",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rejects an unknown filter', async () => {
    const call = h.ec2.send(
      new DescribeVpnConnectionsCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] }),
    );
    await expect(call).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('route tables and the transit gateway through the real SDK', () => {
  it('DescribeRouteTables: routes with origin, state and target, propagating VGWs, tags', async () => {
    const out = await h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtbA] }));
    expect(out.RouteTables?.[0]).toMatchObject({
      RouteTableId: rtbA,
      VpcId: DEMO.vpcId,
      Routes: [
        {
          DestinationCidrBlock: '10.0.0.0/16',
          GatewayId: 'local',
          Origin: 'CreateRouteTable',
          State: 'active',
        },
        {
          DestinationCidrBlock: busan.prefix,
          GatewayId: DEMO.vgwId,
          Origin: 'EnableVgwRoutePropagation',
          State: 'active',
        },
      ],
      PropagatingVgws: [{ GatewayId: DEMO.vgwId }],
      Associations: [{ Main: true, RouteTableId: rtbA }],
      Tags: expect.arrayContaining([{ Key: 'tunnel-warden:managed', Value: 'true' }]),
    });
    expect(out.NextToken).toBeUndefined();
    await expect(
      h.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0000000000000dead'] })),
    ).rejects.toMatchObject({
      name: 'InvalidRouteTableID.NotFound',
    });
  });

  it('pages DescribeRouteTables with opaque tokens, as the SDK paginator follows them', async () => {
    for (let i = 3; i <= 12; i++) {
      h.world.routeTables.push({
        id: `rtb-extra${i}`,
        vpcId: DEMO.vpcId,
        main: false,
        tags: {},
        routes: [],
        propagatingVgws: [],
      });
    }
    const pages: string[][] = [];
    for await (const page of paginateDescribeRouteTables(
      { client: h.ec2, pageSize: 5 },
      { Filters: [{ Name: 'vpc-id', Values: [DEMO.vpcId] }] },
    )) {
      pages.push((page.RouteTables ?? []).map((t) => t.RouteTableId ?? ''));
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual(h.world.routeTables.map((t) => t.id));
    const firstToken = h.twin.calls[1]?.params.NextToken ?? '';
    expect(firstToken).not.toMatch(/^\d+$/);
    const otherQuery = h.ec2.send(new DescribeRouteTablesCommand({ MaxResults: 5, NextToken: firstToken }));
    await expect(otherQuery).rejects.toMatchObject({ name: 'InvalidPaginationToken' });
    await expect(h.ec2.send(new DescribeRouteTablesCommand({ MaxResults: 1000 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('SearchTransitGatewayRoutes: exact match, type and attachment filters, MaxResults', async () => {
    const search = (Filters: { Name: string; Values: string[] }[], MaxResults?: number) =>
      h.ec2.send(
        new SearchTransitGatewayRoutesCommand({
          TransitGatewayRouteTableId: DEMO.tgwRouteTableId,
          Filters,
          MaxResults,
        }),
      );
    const exact = await search([{ Name: 'route-search.exact-match', Values: [seoul.prefix] }]);
    expect(exact).toMatchObject({
      AdditionalRoutesAvailable: false,
      Routes: [
        {
          DestinationCidrBlock: seoul.prefix,
          Type: 'static',
          State: 'active',
          TransitGatewayAttachments: [
            {
              TransitGatewayAttachmentId: seoul.primary.attachmentId,
              ResourceId: seoul.primary.vpnId,
              ResourceType: 'vpn',
            },
          ],
        },
      ],
    });
    const propagated = await search([{ Name: 'type', Values: ['propagated'] }]);
    expect(propagated.Routes?.map((r) => [r.DestinationCidrBlock, r.Type])).toEqual([
      [DEMO.vpcCidr, 'propagated'],
    ]);
    const byAttachment = await search([
      { Name: 'attachment.transit-gateway-attachment-id', Values: [busan.backup.attachmentId] },
      { Name: 'state', Values: ['active'] },
    ]);
    expect(byAttachment.Routes?.map((r) => r.DestinationCidrBlock)).toEqual([busan.prefix]);
    const lpm = await search([{ Name: 'route-search.longest-prefix-match', Values: ['10.3.0.10/32'] }]);
    expect(lpm.Routes?.map((r) => r.DestinationCidrBlock)).toEqual([seoul.prefix]);
    for (let i = 0; i < 6; i++) h.world.tgwRouteTables[0]?.routes.push({ destination: `10.200.${i}.0/24` });
    const capped = await search([{ Name: 'type', Values: ['static'] }], 5);
    expect(capped.Routes).toHaveLength(5);
    expect(capped.AdditionalRoutesAvailable).toBe(true);
    expect(capped.Routes?.[2]).toMatchObject({ DestinationCidrBlock: '10.200.0.0/24', State: 'blackhole' });
  });

  it('SearchTransitGatewayRoutes requires Filters and a known table', async () => {
    const noFilters = h.ec2.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: DEMO.tgwRouteTableId,
        Filters: [],
      }),
    );
    await expect(noFilters).rejects.toMatchObject({ name: 'MissingParameter' });
    const unknown = h.ec2.send(
      new SearchTransitGatewayRoutesCommand({
        TransitGatewayRouteTableId: 'tgw-rtb-0000000000000dead',
        Filters: [{ Name: 'type', Values: ['static'] }],
      }),
    );
    await expect(unknown).rejects.toMatchObject({ name: 'InvalidRouteTableID.NotFound' });
  });

  it('DescribeTransitGatewayAttachments by resource type and id', async () => {
    const out = await h.ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({
        Filters: [
          { Name: 'resource-type', Values: ['vpn'] },
          { Name: 'resource-id', Values: [seoul.backup.vpnId] },
        ],
      }),
    );
    expect(out.TransitGatewayAttachments).toEqual([
      {
        TransitGatewayAttachmentId: seoul.backup.attachmentId,
        TransitGatewayId: DEMO.tgwId,
        TransitGatewayOwnerId: DEMO.accountId,
        ResourceOwnerId: DEMO.accountId,
        ResourceType: 'vpn',
        ResourceId: seoul.backup.vpnId,
        State: 'available',
        Association: { TransitGatewayRouteTableId: DEMO.tgwRouteTableId, State: 'associated' },
        Tags: [],
      },
    ]);
    const byId = await h.ec2.send(
      new DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [busan.vpcAttachmentId] }),
    );
    expect(byId.TransitGatewayAttachments?.map((a) => [a.ResourceType, a.ResourceId])).toEqual([
      ['vpc', DEMO.vpcId],
    ]);
  });

  it('GetVpnTunnelReplacementStatus', async () => {
    const tunnel = h.world.vpnConnections[0]?.tunnels[0];
    if (tunnel !== undefined)
      tunnel.maintenance = { pending: true, autoAppliedAfter: '2026-04-01T00:00:00.000Z' };
    const out = await h.ec2.send(
      new GetVpnTunnelReplacementStatusCommand({
        VpnConnectionId: seoul.primary.vpnId,
        VpnTunnelOutsideIpAddress: '198.51.100.10',
      }),
    );
    expect(out).toMatchObject({
      VpnConnectionId: seoul.primary.vpnId,
      TransitGatewayId: DEMO.tgwId,
      CustomerGatewayId: seoul.primary.customerGatewayId,
      VpnTunnelOutsideIpAddress: '198.51.100.10',
      MaintenanceDetails: {
        PendingMaintenance: 'Available',
        MaintenanceAutoAppliedAfter: new Date('2026-04-01T00:00:00Z'),
      },
    });
  });
});
