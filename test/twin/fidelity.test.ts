/**
 * The twin as pessimistic as AWS (issue 11, items 8 and 9): a replaced tunnel comes back by itself only
 * when AWS starts IKE; propagated routes may outlive the VPN; a TGW static route to a dead VPN may read
 * active or blackhole; a VGW picks among BGP VPNs by AS_PATH, then MED.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TWIN_START } from '../../lib/twin/clock.js';
import { replaceVpnTunnel } from '../../lib/twin/mutations-vpn.js';
import { probe } from '../../lib/twin/probe.js';
import { effectiveTgwRoutes, effectiveVpcRoutes } from '../../lib/twin/routing.js';
import { DEFAULT_REPLACEMENT_DELAY_MS, type TwinWorld, tunnelByIp } from '../../lib/twin/state.js';
import { vpn as buildVpn } from '../../lib/twin/topologies/builders.js';
import { DEMO, demoWorld } from '../../lib/twin/topologies/demo.js';
import { setTunnelStatus, settle } from '../../lib/twin/tunnels.js';

const { seoul, busan } = DEMO;
const [rtbA] = DEMO.routeTableIds;
const T = DEFAULT_TWIN_START;
const at = (ms: number) => new Date(T.getTime() + ms);

let world: TwinWorld;
beforeEach(() => {
  world = demoWorld();
});

const statusOf = (ip: string) => tunnelByIp(world, ip).tunnel.status;
const ikeOf = (ip: string, startupAction: 'add' | 'start', ikeVersions: string[]) => {
  const { tunnel } = tunnelByIp(world, ip);
  tunnel.options = { ...tunnel.options, startupAction, ikeVersions };
};

describe('a replaced tunnel comes back by itself only when AWS starts IKE (fact sheet §8)', () => {
  const ip = seoul.primary.tunnels[0];

  it('IKEv2 with StartupAction=start: AWS starts IKE, UP once the endpoint is ready', () => {
    const r = replaceVpnTunnel(world, seoul.primary.vpnId, ip, T);
    expect(r.initiatedBy).toBe('aws');
    settle(world, at(DEFAULT_REPLACEMENT_DELAY_MS));
    expect(statusOf(ip)).toBe('UP');
  });

  it.each([
    ['IKEv1 only', 'start', ['ikev1']],
    ['StartupAction=add', 'add', ['ikev2']],
  ] as const)(
    '%s: waits for the customer gateway, which starts IKE 30 s after the endpoint is ready',
    (_, action, versions) => {
      ikeOf(ip, action, [...versions]);
      const r = replaceVpnTunnel(world, seoul.primary.vpnId, ip, T);
      expect(r.initiatedBy).toBe('customer-gateway');
      settle(world, at(DEFAULT_REPLACEMENT_DELAY_MS));
      expect(statusOf(ip)).toBe('DOWN');
      settle(world, at(DEFAULT_REPLACEMENT_DELAY_MS + 30_000));
      expect(statusOf(ip)).toBe('UP');
    },
  );

  it('a customer gateway that never initiates leaves the tunnel DOWN, maintenance applied', () => {
    ikeOf(ip, 'add', ['ikev1', 'ikev2']);
    const vpn = world.vpnConnections.find((v) => v.id === seoul.primary.vpnId);
    if (vpn === undefined) throw new Error('no seoul primary');
    vpn.customerGatewayInitiates = 'never';
    tunnelByIp(world, ip).tunnel.maintenance = { pending: true };
    const r = replaceVpnTunnel(world, seoul.primary.vpnId, ip, T, { applyPendingMaintenance: true });
    expect(r.initiatedBy).toBe('nobody');
    expect(settle(world, at(60 * 60_000))).toHaveLength(1);
    expect(statusOf(ip)).toBe('DOWN');
    expect(tunnelByIp(world, ip).tunnel.maintenance.pending).toBe(false);
  });
});

describe('propagated routes may outlive the VPN (fact sheet §8: both documented)', () => {
  const busanDown = () => {
    for (const ip of busan.bgp.tunnels) setTunnelStatus(world, ip, 'DOWN', T);
  };
  const propagated = () =>
    effectiveVpcRoutes(world, rtbA).filter(
      (r) => r.origin === 'EnableVgwRoutePropagation' && r.destination === busan.prefix,
    );

  it('withdrawn with the VPN by default', () => {
    busanDown();
    expect(propagated()).toEqual([]);
  });

  it('kept when they outlive the VPN: still listed, and the VGW drops what they attract', () => {
    world.propagatedRoutesOutliveVpn = true;
    busanDown();
    expect(propagated()).toHaveLength(1);
    expect(probe(world, { fromVpcId: DEMO.vpcId, to: busan.probe })).toMatchObject({
      reachable: false,
      reason: expect.stringContaining('no VPN with a tunnel UP'),
    });
  });
});

describe('a TGW static route to a dead VPN: its state is undocumented (fact sheet §8)', () => {
  const seoulRoute = () =>
    effectiveTgwRoutes(world, DEMO.tgwRouteTableId).find((r) => r.destination === seoul.prefix);
  const seoulDown = () => {
    for (const ip of seoul.primary.tunnels) setTunnelStatus(world, ip, 'DOWN', T);
  };

  it.each(['active', 'blackhole'] as const)(
    'reads %s when the world says so; no traffic passes either way',
    (state) => {
      world.tgwStaticRouteOnDeadVpn = state;
      expect(seoulRoute()?.state).toBe('active');
      seoulDown();
      expect(seoulRoute()).toMatchObject({ state, attachmentId: seoul.primary.attachmentId });
      expect(probe(world, { fromTgwRouteTableId: DEMO.tgwRouteTableId, to: seoul.probe }).reachable).toBe(
        false,
      );
    },
  );
});

describe('inside a VGW, among BGP VPNs for the same prefix: shortest AS_PATH, then lowest MED (fact sheet §4)', () => {
  const second = 'vpn-0a1b2c3d4e5f6000a';
  beforeEach(() => {
    world.vpnConnections.push(
      buildVpn({
        id: second,
        name: 'busan-second',
        customerGatewayId: 'cgw-0a1b2c3d4e5f6000a',
        vpnGatewayId: DEMO.vgwId,
        advertisedPrefixes: [busan.prefix],
        tunnelIps: ['198.51.100.90', '198.51.100.91'],
        insideOctet: 90,
        since: T,
      }),
    );
  });
  const via = () => probe(world, { fromVpcId: DEMO.vpcId, to: busan.probe }).hops;
  const vpnOf = (id: string) => {
    const found = world.vpnConnections.find((v) => v.id === id);
    if (found === undefined) throw new Error(`no ${id}`);
    return found;
  };

  it('the shorter AS_PATH wins, whatever the MED', () => {
    vpnOf(busan.bgp.vpnId).bgpAsPathLength = 3;
    vpnOf(second).bgpMed = 500;
    expect(via()).toContain(second);
  });

  it('for an equal AS_PATH the lower MED wins', () => {
    vpnOf(busan.bgp.vpnId).bgpMed = 200;
    vpnOf(second).bgpMed = 100;
    expect(via()).toContain(second);
    vpnOf(second).bgpMed = 300;
    expect(via()).toContain(busan.bgp.vpnId);
  });
});
