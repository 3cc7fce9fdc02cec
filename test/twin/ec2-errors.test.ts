import {
  CreateRouteCommand,
  CreateTransitGatewayRouteCommand,
  CreateVpnConnectionRouteCommand,
  DeleteRouteCommand,
  DeleteTransitGatewayRouteCommand,
  DeleteVpnConnectionRouteCommand,
  DisableVgwRoutePropagationCommand,
  EnableVgwRoutePropagationCommand,
  ReplaceRouteCommand,
  ReplaceTransitGatewayRouteCommand,
  ReplaceVpnTunnelCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../lib/twin/topologies/demo.js';
import { addStaticVgwVpn, routesOf, useDemoTwin } from './helpers.js';

const { seoul, busan } = DEMO;
const [rtbA] = DEMO.routeTableIds;

const h = useDemoTwin();

const routesOfTable = (id: string) => routesOf(h, id);

describe('EC2 error codes', () => {
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no error',
      (error: unknown) => (error instanceof Error ? error.name : String(error)),
    );

  it('CreateRoute, ReplaceRoute, DeleteRoute', async () => {
    const create = (input: Partial<ConstructorParameters<typeof CreateRouteCommand>[0]>) =>
      code(
        h.ec2.send(
          new CreateRouteCommand({ RouteTableId: rtbA, DestinationCidrBlock: '10.4.0.1/20', ...input }),
        ),
      );
    expect(await create({ TransitGatewayId: DEMO.tgwId })).toBe('no error');
    expect(routesOfTable(rtbA)?.[0]?.destination).toBe('10.4.0.0/20');
    expect(await create({ TransitGatewayId: DEMO.tgwId })).toBe('RouteAlreadyExists');
    expect(await create({ DestinationCidrBlock: DEMO.vpcCidr, TransitGatewayId: DEMO.tgwId })).toBe(
      'RouteAlreadyExists',
    );
    expect(await create({ DestinationCidrBlock: '10.5.0.0/16' })).toBe('InvalidParameterValue');
    expect(
      await create({
        DestinationCidrBlock: '10.5.0.0/16',
        TransitGatewayId: DEMO.tgwId,
        GatewayId: DEMO.vgwId,
      }),
    ).toBe('InvalidParameterValue');
    expect(await create({ DestinationCidrBlock: '10.5.0.0/33', TransitGatewayId: DEMO.tgwId })).toBe(
      'InvalidParameterValue',
    );
    expect(await create({ RouteTableId: 'rtb-0000000000000dead', TransitGatewayId: DEMO.tgwId })).toBe(
      'InvalidRouteTableID.NotFound',
    );
    expect(
      await create({ DestinationCidrBlock: '10.5.0.0/16', TransitGatewayId: 'tgw-0000000000000dead' }),
    ).toBe('InvalidTransitGatewayID.NotFound');

    const replace = h.ec2.send(
      new ReplaceRouteCommand({
        RouteTableId: rtbA,
        DestinationCidrBlock: '10.4.0.1/20',
        GatewayId: DEMO.vgwId,
      }),
    );
    await expect(replace).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "There is no route defined for '10.4.0.1/20' in the route table. Use CreateRoute instead.",
    });
    expect(
      await code(
        h.ec2.send(
          new ReplaceRouteCommand({
            RouteTableId: rtbA,
            DestinationCidrBlock: busan.prefix,
            GatewayId: DEMO.vgwId,
          }),
        ),
      ),
    ).toBe('no error');
    const remove = (DestinationCidrBlock: string) =>
      code(h.ec2.send(new DeleteRouteCommand({ RouteTableId: rtbA, DestinationCidrBlock })));
    expect(await remove(busan.prefix)).toBe('no error');
    expect(await remove(busan.prefix)).toBe('InvalidRoute.NotFound');
    expect(await remove(DEMO.vpcCidr)).toBe('InvalidParameterValue');
  });

  it('transit gateway routes', async () => {
    const table = { TransitGatewayRouteTableId: DEMO.tgwRouteTableId };
    const replaceMissing = h.ec2.send(
      new ReplaceTransitGatewayRouteCommand({
        ...table,
        DestinationCidrBlock: '10.7.0.0/16',
        TransitGatewayAttachmentId: seoul.backup.attachmentId,
      }),
    );
    expect(await code(replaceMissing)).toBe('InvalidRoute.NotFound');
    const createExisting = h.ec2.send(
      new CreateTransitGatewayRouteCommand({
        ...table,
        DestinationCidrBlock: seoul.prefix,
        TransitGatewayAttachmentId: seoul.backup.attachmentId,
      }),
    );
    expect(await code(createExisting)).toBe('RouteAlreadyExists');
    const unknownAttachment = h.ec2.send(
      new ReplaceTransitGatewayRouteCommand({
        ...table,
        DestinationCidrBlock: seoul.prefix,
        TransitGatewayAttachmentId: 'tgw-attach-0000000000000dead',
      }),
    );
    expect(await code(unknownAttachment)).toBe('InvalidTransitGatewayAttachmentID.NotFound');
    const replaced = await h.ec2.send(
      new ReplaceTransitGatewayRouteCommand({
        ...table,
        DestinationCidrBlock: seoul.prefix,
        TransitGatewayAttachmentId: seoul.backup.attachmentId,
      }),
    );
    expect(replaced.Route).toMatchObject({
      DestinationCidrBlock: seoul.prefix,
      Type: 'static',
      State: 'active',
      TransitGatewayAttachments: [
        { TransitGatewayAttachmentId: seoul.backup.attachmentId, ResourceId: seoul.backup.vpnId },
      ],
    });
    const deleted = await h.ec2.send(
      new DeleteTransitGatewayRouteCommand({ ...table, DestinationCidrBlock: seoul.prefix }),
    );
    expect(deleted.Route).toMatchObject({ DestinationCidrBlock: seoul.prefix, State: 'deleted' });
    expect(
      await code(
        h.ec2.send(new DeleteTransitGatewayRouteCommand({ ...table, DestinationCidrBlock: seoul.prefix })),
      ),
    ).toBe('InvalidRoute.NotFound');
    const blackhole = await h.ec2.send(
      new CreateTransitGatewayRouteCommand({ ...table, DestinationCidrBlock: seoul.prefix, Blackhole: true }),
    );
    expect(blackhole.Route).toMatchObject({ State: 'blackhole', Type: 'static' });
    expect(blackhole.Route?.TransitGatewayAttachments).toBeUndefined();
  });

  it('VGW route propagation', async () => {
    h.world.vgws.push({ id: 'vgw-0a1b2c3d4e5f60009', asn: 64512 });
    const enable = (GatewayId: string, RouteTableId: string = rtbA) =>
      code(h.ec2.send(new EnableVgwRoutePropagationCommand({ RouteTableId, GatewayId })));
    expect(await enable('vgw-0a1b2c3d4e5f60009')).toBe('Gateway.NotAttached');
    expect(await enable('vgw-0000000000000dead')).toBe('InvalidVpnGatewayID.NotFound');
    expect(await enable(DEMO.vgwId, 'rtb-0000000000000dead')).toBe('InvalidRouteTableID.NotFound');
    await h.ec2.send(new DisableVgwRoutePropagationCommand({ RouteTableId: rtbA, GatewayId: DEMO.vgwId }));
    expect(h.world.routeTables[0]?.propagatingVgws).toEqual([]);
    expect(await enable(DEMO.vgwId)).toBe('no error');
    expect(await enable(DEMO.vgwId)).toBe('no error');
    expect(h.world.routeTables[0]?.propagatingVgws).toEqual([DEMO.vgwId]);
  });

  it('VPN connection static routes', async () => {
    const staticVpn = addStaticVgwVpn(h);
    const route = (VpnConnectionId: string, DestinationCidrBlock = '10.9.0.0/16') => ({
      VpnConnectionId,
      DestinationCidrBlock,
    });
    expect(await code(h.ec2.send(new CreateVpnConnectionRouteCommand(route(staticVpn))))).toBe(
      'RouteAlreadyExists',
    );
    expect(await code(h.ec2.send(new CreateVpnConnectionRouteCommand(route(busan.bgp.vpnId))))).toBe(
      'InvalidParameterValue',
    );
    expect(await code(h.ec2.send(new CreateVpnConnectionRouteCommand(route('vpn-0000000000000dead'))))).toBe(
      'InvalidVpnConnectionID.NotFound',
    );
    expect(await code(h.ec2.send(new DeleteVpnConnectionRouteCommand(route(staticVpn))))).toBe('no error');
    expect(await code(h.ec2.send(new DeleteVpnConnectionRouteCommand(route(staticVpn))))).toBe(
      'InvalidRoute.NotFound',
    );
  });

  it('unknown actions, dry runs and unauthorised writes', async () => {
    const response = await fetch(h.twin.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=LaunchRockets&Version=2016-11-15',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/<Code>InvalidAction<\/Code>.*<RequestID>/s);
    const dryRun = h.ec2.send(
      new DeleteRouteCommand({ RouteTableId: rtbA, DestinationCidrBlock: busan.prefix, DryRun: true }),
    );
    await expect(dryRun).rejects.toMatchObject({
      name: 'DryRunOperation',
      $metadata: { httpStatusCode: 412 },
    });
    const vpnTags = h.world.vpnConnections[0];
    if (vpnTags !== undefined) vpnTags.tags = {};
    const replace = h.ec2.send(
      new ReplaceVpnTunnelCommand({
        VpnConnectionId: seoul.primary.vpnId,
        VpnTunnelOutsideIpAddress: '198.51.100.10',
      }),
    );
    await expect(replace).rejects.toMatchObject({
      name: 'UnauthorizedOperation',
      message: expect.stringContaining('ec2:ReplaceVpnTunnel'),
    });
  });
});
