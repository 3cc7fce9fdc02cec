import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TWIN_START, TwinClock } from '../../lib/twin/clock.js';
import { TwinError } from '../../lib/twin/errors.js';
import { createRoute, disableVgwRoutePropagation, replaceTgwRoute } from '../../lib/twin/mutations-routes.js';
import { probe } from '../../lib/twin/probe.js';
import { effectiveTgwRoutes, effectiveVpcRoutes, selectVpcRoute } from '../../lib/twin/routing.js';
import type { TwinWorld } from '../../lib/twin/state.js';
import { DEMO, demoWorld } from '../../lib/twin/topologies/demo.js';
import { setTrafficPassing, setTunnelStatus } from '../../lib/twin/tunnels.js';

const { seoul, busan } = DEMO;
const [rtbA, rtbB] = DEMO.routeTableIds;
const at = new Date('2026-03-02T10:05:00.000Z');

let world: TwinWorld;
beforeEach(() => {
  world = demoWorld();
});

const fromVpc = (to: string) => probe(world, { fromVpcId: DEMO.vpcId, to });
const fromTgw = (to: string) => probe(world, { fromTgwRouteTableId: DEMO.tgwRouteTableId, to });
const down = (...ips: readonly string[]) => {
  for (const ip of ips) setTunnelStatus(world, ip, 'DOWN', at);
};

describe('TwinClock', () => {
  it('starts at 2026-03-02T10:00Z, advances, is set, and tells its listeners', () => {
    const clock = new TwinClock();
    const heard: string[] = [];
    const stop = clock.subscribe((now) => heard.push(now.toISOString()));
    expect(clock.now()).toEqual(DEFAULT_TWIN_START);
    clock.advance(90_000);
    clock.set(new Date('2026-03-03T00:00:00Z'));
    stop();
    clock.advance(1);
    expect(heard).toEqual(['2026-03-02T10:01:30.000Z', '2026-03-03T00:00:00.000Z']);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('the demo world in steady state', () => {
  it('reaches both sites: seoul through the TGW primary, busan through the VGW BGP VPN', () => {
    expect(fromTgw(seoul.probe)).toEqual({
      reachable: true,
      hops: [DEMO.tgwRouteTableId, seoul.primary.attachmentId, seoul.primary.vpnId, '198.51.100.10'],
      reason: expect.stringContaining('reached'),
    });
    expect(fromVpc(busan.probe)).toMatchObject({
      reachable: true,
      hops: [rtbA, DEMO.vgwId, busan.bgp.vpnId, '198.51.100.30'],
    });
    expect(probe(world, { fromRouteTableId: rtbB, to: busan.probe }).reachable).toBe(true);
  });

  it('lists the local route and the propagated busan prefix in both VPC tables', () => {
    for (const id of DEMO.routeTableIds) {
      expect(effectiveVpcRoutes(world, id)).toEqual([
        {
          destination: '10.0.0.0/16',
          target: { param: 'GatewayId', id: 'local' },
          origin: 'CreateRouteTable',
          state: 'active',
        },
        {
          destination: busan.prefix,
          target: { param: 'GatewayId', id: DEMO.vgwId },
          origin: 'EnableVgwRoutePropagation',
          state: 'active',
        },
      ]);
    }
  });

  it('keeps the local route ahead of an overlapping, more specific propagated route', () => {
    world.vpnConnections[2]?.advertisedPrefixes.push('10.0.1.0/24');
    expect(selectVpcRoute(world, rtbA, '10.0.1.5')?.origin).toBe('CreateRouteTable');
    expect(fromVpc('10.0.1.5')).toMatchObject({
      reachable: true,
      reason: expect.stringContaining('inside the VPC'),
    });
  });

  it('has no route for an address outside every prefix', () => {
    expect(fromVpc('192.0.2.1')).toMatchObject({
      reachable: false,
      reason: `${rtbA} has no route to 192.0.2.1`,
    });
  });
});

describe('seoul: the primary VPN loses both tunnels', () => {
  beforeEach(() => down(...seoul.primary.tunnels));

  it('keeps the TGW static route active, forwarding into the dead VPN', () => {
    expect(effectiveTgwRoutes(world, DEMO.tgwRouteTableId)).toContainEqual({
      destination: seoul.prefix,
      attachmentId: seoul.primary.attachmentId,
      type: 'static',
      state: 'active',
    });
    expect(fromTgw(seoul.probe)).toMatchObject({
      reachable: false,
      hops: [DEMO.tgwRouteTableId, seoul.primary.attachmentId, seoul.primary.vpnId],
      reason: `${seoul.primary.vpnId} has no tunnel UP`,
    });
  });

  it('is reachable again once the route points at the backup attachment', () => {
    replaceTgwRoute(world, DEMO.tgwRouteTableId, seoul.prefix, { attachmentId: seoul.backup.attachmentId });
    expect(fromTgw(seoul.probe)).toMatchObject({
      reachable: true,
      hops: [DEMO.tgwRouteTableId, seoul.backup.attachmentId, seoul.backup.vpnId, '198.51.100.20'],
    });
  });

  it('updates lastStatusChange only on a real change', () => {
    const tunnel = world.vpnConnections[0]?.tunnels[0];
    expect(tunnel).toMatchObject({
      status: 'DOWN',
      lastStatusChange: at.toISOString(),
      statusMessage: 'IPSEC IS DOWN',
    });
    setTunnelStatus(world, '198.51.100.10', 'DOWN', new Date('2026-03-02T11:00:00Z'));
    expect(tunnel?.lastStatusChange).toBe(at.toISOString());
  });
});

describe('busan: the BGP VPN goes down', () => {
  beforeEach(() => down(...busan.bgp.tunnels));

  it('withdraws the propagated routes and makes busan unreachable from the VPC', () => {
    expect(effectiveVpcRoutes(world, rtbA).map((r) => r.origin)).toEqual(['CreateRouteTable']);
    expect(fromVpc(busan.probe)).toMatchObject({
      reachable: false,
      reason: `${rtbA} has no route to ${busan.probe}`,
    });
  });

  it('reaches busan through the TGW backup VPN after a static override to the TGW', () => {
    createRoute(world, rtbA, busan.prefix, { param: 'TransitGatewayId', id: DEMO.tgwId });
    expect(fromVpc(busan.probe)).toEqual({
      reachable: true,
      hops: [
        rtbA,
        DEMO.tgwId,
        busan.vpcAttachmentId,
        DEMO.tgwRouteTableId,
        busan.backup.attachmentId,
        busan.backup.vpnId,
        '198.51.100.40',
      ],
      reason: expect.any(String),
    });
  });

  it('withdraws a single tunnel only when the other is down too', () => {
    setTunnelStatus(world, '198.51.100.31', 'UP', at);
    expect(fromVpc(busan.probe)).toMatchObject({
      reachable: true,
      hops: [rtbA, DEMO.vgwId, busan.bgp.vpnId, '198.51.100.31'],
    });
  });
});

describe('gray failure: tunnels UP, no traffic passing', () => {
  it('drops busan traffic while the propagated route still points at the VGW', () => {
    for (const ip of busan.bgp.tunnels) setTrafficPassing(world, ip, false);
    expect(selectVpcRoute(world, rtbA, busan.probe)?.target.id).toBe(DEMO.vgwId);
    expect(fromVpc(busan.probe)).toMatchObject({
      reachable: false,
      reason: expect.stringContaining('gray failure'),
    });
  });

  it('still passes when the gray tunnel is not the one AWS sends a static VPN over', () => {
    setTrafficPassing(world, '198.51.100.11', false);
    expect(fromTgw(seoul.probe)).toMatchObject({
      reachable: true,
      hops: expect.arrayContaining(['198.51.100.10']),
    });
  });

  it('is an outage when the gray tunnel is the one AWS sends a static VPN over (fact sheet §8)', () => {
    setTrafficPassing(world, '198.51.100.10', false);
    expect(fromTgw(seoul.probe)).toMatchObject({
      reachable: false,
      reason: expect.stringContaining('AWS uses one tunnel of a static VPN'),
    });
    // AWS moves to the other tunnel only once the one it uses goes DOWN.
    setTunnelStatus(world, '198.51.100.10', 'DOWN', DEFAULT_TWIN_START);
    expect(fromTgw(seoul.probe)).toMatchObject({
      reachable: true,
      hops: expect.arrayContaining(['198.51.100.11']),
    });
  });

  it('sends a static VPN over the tunnel AWS prefers, whichever is listed first', () => {
    const vpn = world.vpnConnections.find((v) => v.tunnels.some((t) => t.outsideIp === '198.51.100.10'));
    if (vpn === undefined) throw new Error('no seoul VPN');
    vpn.preferredTunnelIp = '198.51.100.11';
    setTrafficPassing(world, '198.51.100.11', false);
    expect(fromTgw(seoul.probe)).toMatchObject({
      reachable: false,
      hops: expect.arrayContaining(['198.51.100.11']),
    });
    setTrafficPassing(world, '198.51.100.11', true);
    setTrafficPassing(world, '198.51.100.10', false);
    expect(fromTgw(seoul.probe)).toMatchObject({
      reachable: true,
      hops: expect.arrayContaining(['198.51.100.11']),
    });
  });

  it('lets a static override win over the propagated route for the same prefix', () => {
    for (const ip of busan.bgp.tunnels) setTrafficPassing(world, ip, false);
    createRoute(world, rtbA, busan.prefix, { param: 'TransitGatewayId', id: DEMO.tgwId });
    expect(effectiveVpcRoutes(world, rtbA).filter((r) => r.destination === busan.prefix)).toHaveLength(2);
    expect(selectVpcRoute(world, rtbA, busan.probe)?.origin).toBe('CreateRoute');
    expect(fromVpc(busan.probe).reachable).toBe(true);
  });
});

describe('other paths', () => {
  it('forwards to an appliance ENI and drops at a blackhole', () => {
    createRoute(world, rtbB, '10.9.0.0/16', { param: 'NetworkInterfaceId', id: 'eni-0a1b2c3d4e5f60001' });
    expect(probe(world, { fromRouteTableId: rtbB, to: '10.9.1.1' })).toMatchObject({
      reachable: true,
      hops: [rtbB, 'eni-0a1b2c3d4e5f60001'],
    });
    replaceTgwRoute(world, DEMO.tgwRouteTableId, seoul.prefix, { blackhole: true });
    expect(fromTgw(seoul.probe)).toMatchObject({
      reachable: false,
      reason: expect.stringContaining('blackhole'),
    });
  });

  it('stops propagating when propagation is disabled', () => {
    disableVgwRoutePropagation(world, rtbA, DEMO.vgwId);
    expect(fromVpc(busan.probe).reachable).toBe(false);
    expect(probe(world, { fromRouteTableId: rtbB, to: busan.probe }).reachable).toBe(true);
  });

  it('refuses malformed probes and unknown tunnels', () => {
    expect(() => probe(world, { to: busan.probe })).toThrow(TwinError);
    expect(() => fromVpc('10.4.0')).toThrow(TwinError);
    expect(() => setTunnelStatus(world, '192.0.2.99', 'UP', at)).toThrow(TwinError);
  });
});

describe('ECMP over BGP VPN attachments on a transit gateway (fact sheet §8)', () => {
  /** busan's BGP VPN moved onto the demo TGW beside a second BGP VPN advertising the same prefix. */
  function ecmpWorld(vpnEcmpSupport: boolean): TwinWorld {
    const w = demoWorld();
    const tgw = w.tgws[0];
    const table = w.tgwRouteTables[0];
    const bgp = w.vpnConnections.find((v) => v.id === busan.bgp.vpnId);
    if (tgw === undefined || table === undefined || bgp === undefined) throw new Error('demo fixture');
    tgw.vpnEcmpSupport = vpnEcmpSupport;
    // The demo's static route to busan's backup VPN would hide every propagated route.
    table.routes = table.routes.filter((r) => r.destination !== busan.prefix);
    const twins = ['tgw-attach-0a1b2c3d4e5f600e1', 'tgw-attach-0a1b2c3d4e5f600e2'];
    const second = { ...structuredClone(bgp), id: 'vpn-0a1b2c3d4e5f600e2' };
    second.tunnels = second.tunnels.map((t, i) => ({ ...t, outsideIp: `198.51.100.${90 + i}` }));
    for (const [i, vpn] of [bgp, second].entries()) {
      delete vpn.vpnGatewayId;
      vpn.transitGatewayId = tgw.id;
      const id = twins[i] ?? '';
      w.tgwAttachments.push({
        id,
        tgwId: tgw.id,
        resourceType: 'vpn',
        resourceId: vpn.id,
        state: 'available',
      });
      table.propagations.push(id);
    }
    w.vpnConnections.push(second);
    return w;
  }
  const prefix = (w: TwinWorld) =>
    effectiveTgwRoutes(w, DEMO.tgwRouteTableId).find((r) => r.destination === busan.prefix);

  it('lists one propagated route over both attachments when VpnEcmpSupport is on', () => {
    expect(prefix(ecmpWorld(true))).toMatchObject({
      type: 'propagated',
      attachmentId: 'tgw-attach-0a1b2c3d4e5f600e1',
      attachmentIds: ['tgw-attach-0a1b2c3d4e5f600e1', 'tgw-attach-0a1b2c3d4e5f600e2'],
    });
  });

  it('uses one attachment when VpnEcmpSupport is off, and withdraws a VPN whose tunnels are down', () => {
    expect(prefix(ecmpWorld(false))).not.toHaveProperty('attachmentIds');
    const w = ecmpWorld(true);
    for (const ip of busan.bgp.tunnels) setTunnelStatus(w, ip, 'DOWN', at);
    expect(prefix(w)).toMatchObject({ attachmentId: 'tgw-attach-0a1b2c3d4e5f600e2' });
    expect(prefix(w)).not.toHaveProperty('attachmentIds');
  });
});
