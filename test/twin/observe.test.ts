import { describe, expect, it } from 'vitest';
import { observe } from '../../lib/aws/observe.js';
import { DEMO } from '../../lib/twin/topologies/demo.js';
import { DEMO_TUNNELS_SINCE, DEMO_VPN_IDS, useDemoTwin } from './helpers.js';

const { seoul, busan } = DEMO;
const [rtbA, rtbB] = DEMO.routeTableIds;
const scope = {
  vpcRouteTableIds: DEMO.routeTableIds,
  tgwRouteTables: [{ routeTableId: DEMO.tgwRouteTableId, destinations: [seoul.prefix, busan.prefix] }],
};

const h = useDemoTwin();

describe('observe() from lib/aws against the demo world', () => {
  it('returns the expected snapshot', async () => {
    const snapshot = await observe(h.ec2, DEMO_VPN_IDS, scope, h.clock.now());
    const telemetry = (ips: readonly string[], bgp: boolean) =>
      ips.map((outsideIp) => ({
        outsideIp,
        status: 'UP',
        lastStatusChange: DEMO_TUNNELS_SINCE.toISOString(),
        statusMessage: bgp ? '1 BGP ROUTES' : '',
        acceptedRouteCount: bgp ? 1 : 0,
      }));
    const tags = (name: string) => ({ Name: name, 'tunnel-warden:managed': 'true' });
    const tgwVpn = (vpnId: string, ips: readonly string[], name: string) => ({
      vpnId,
      state: 'available',
      staticRoutesOnly: true,
      transitGatewayId: DEMO.tgwId,
      tunnels: telemetry(ips, false),
      staticRoutes: [],
      tags: tags(name),
      unreadable: [],
    });
    const vpcTable = (routeTableId: string, name: string) => ({
      routeTableId,
      vpcId: DEMO.vpcId,
      routes: [
        {
          destination: DEMO.vpcCidr,
          target: { kind: 'local', id: 'local' },
          origin: 'CreateRouteTable',
          state: 'active',
        },
        {
          destination: busan.prefix,
          target: { kind: 'vpn-gateway', id: DEMO.vgwId },
          origin: 'EnableVgwRoutePropagation',
          state: 'active',
        },
      ],
      propagatingGateways: [DEMO.vgwId],
      tags: tags(name),
    });
    expect(snapshot).toEqual({
      takenAt: '2026-03-02T10:00:00.000Z',
      vpnConnections: {
        [seoul.primary.vpnId]: tgwVpn(seoul.primary.vpnId, seoul.primary.tunnels, 'seoul-dc-primary'),
        [seoul.backup.vpnId]: tgwVpn(seoul.backup.vpnId, seoul.backup.tunnels, 'seoul-dc-backup'),
        [busan.bgp.vpnId]: {
          vpnId: busan.bgp.vpnId,
          state: 'available',
          staticRoutesOnly: false,
          vpnGatewayId: DEMO.vgwId,
          tunnels: telemetry(busan.bgp.tunnels, true),
          staticRoutes: [],
          tags: tags('busan-dc-bgp'),
          unreadable: [],
        },
        [busan.backup.vpnId]: tgwVpn(busan.backup.vpnId, busan.backup.tunnels, 'busan-dc-tgw-backup'),
      },
      vpcRouteTables: { [rtbA]: vpcTable(rtbA, 'demo-private-a'), [rtbB]: vpcTable(rtbB, 'demo-private-b') },
      tgwRouteTables: {
        [DEMO.tgwRouteTableId]: {
          routeTableId: DEMO.tgwRouteTableId,
          routes: [
            {
              destination: seoul.prefix,
              attachmentId: seoul.primary.attachmentId,
              type: 'static',
              state: 'active',
            },
            {
              destination: busan.prefix,
              attachmentId: busan.backup.attachmentId,
              type: 'static',
              state: 'active',
            },
          ],
        },
      },
    });
    expect(h.twin.calls.map((c) => c.action).sort()).toEqual([
      'DescribeRouteTables',
      'DescribeVpnConnections',
      'SearchTransitGatewayRoutes',
    ]);
  });

  it('never carries a pre-shared key, although the twin sends them', async () => {
    const keys = h.world.vpnConnections.flatMap((v) => v.tunnels.map((t) => t.options.preSharedKey));
    const snapshot = JSON.stringify(await observe(h.ec2, DEMO_VPN_IDS, scope, h.clock.now()));
    for (const key of keys) expect(snapshot).not.toContain(key);
    expect(snapshot).not.toMatch(/pre_shared_key|PreSharedKey|CustomerGatewayConfiguration/i);
  });

  it('reads a connection answered without VgwTelemetry as unknown, not as DOWN', async () => {
    const primary = h.world.vpnConnections.find((v) => v.id === seoul.primary.vpnId);
    if (primary === undefined) throw new Error('demo');
    primary.telemetryWithheld = true;
    const snapshot = await observe(h.ec2, DEMO_VPN_IDS, scope, h.clock.now());
    expect(snapshot.vpnConnections[seoul.primary.vpnId]).toMatchObject({
      state: 'available',
      tunnels: [],
      unreadable: [{ field: 'VgwTelemetry', problem: 'missing', affects: 'health' }],
    });
    expect(snapshot.vpnConnections[seoul.backup.vpnId]?.unreadable).toEqual([]);
  });

  it('leaves out a VPN that does not exist and still observes the others', async () => {
    const snapshot = await observe(
      h.ec2,
      [seoul.primary.vpnId, 'vpn-0000000000000dead'],
      scope,
      h.clock.now(),
    );
    expect(Object.keys(snapshot.vpnConnections)).toEqual([seoul.primary.vpnId]);
    expect(h.twin.calls.filter((c) => c.action === 'DescribeVpnConnections').map((c) => c.status)).toEqual([
      400, 200,
    ]);
  });
});
