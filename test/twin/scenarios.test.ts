import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyActions } from '../../lib/aws/apply.js';
import { observe } from '../../lib/aws/observe.js';
import type { RouteAction } from '../../lib/domain/actions.js';
import { probe } from '../../lib/twin/probe.js';
import { DEMO } from '../../lib/twin/topologies/demo.js';
import { setTrafficPassing, setTunnelStatus } from '../../lib/twin/tunnels.js';
import { startDemoTwin, type TwinHarness } from './helpers.js';

/** Scenarios end to end: the world changes, lib/aws observes and applies over the wire, probes judge. */
const { seoul, busan } = DEMO;
const scope = {
  vpcRouteTableIds: DEMO.routeTableIds,
  tgwRouteTables: [{ routeTableId: DEMO.tgwRouteTableId, destinations: [seoul.prefix, busan.prefix] }],
};
const vpns = [seoul.primary.vpnId, seoul.backup.vpnId, busan.bgp.vpnId, busan.backup.vpnId];
const toTgw = { kind: 'transit-gateway', id: DEMO.tgwId } as const;
const overrides: RouteAction[] = DEMO.routeTableIds.map((routeTableId) => ({
  type: 'vpc-static-route',
  routeTableId,
  destination: busan.prefix,
  target: toTgw,
}));

let h: TwinHarness;
beforeEach(async () => {
  h = await startDemoTwin();
});
afterEach(async () => {
  await h.twin.close();
});

const seoulProbe = () => probe(h.world, { fromTgwRouteTableId: DEMO.tgwRouteTableId, to: seoul.probe });
const busanProbe = (fromRouteTableId: string = DEMO.routeTableIds[0]) =>
  probe(h.world, { fromRouteTableId, to: busan.probe });
const setAll = (ips: readonly string[], status: 'UP' | 'DOWN') => {
  const at = h.clock.advance(60_000);
  for (const ip of ips) setTunnelStatus(h.world, ip, status, at);
};
const snapshot = () => observe(h.ec2, vpns, scope, h.clock.now());

it('steady state: both sites reachable', () => {
  expect(seoulProbe().reachable).toBe(true);
  for (const id of DEMO.routeTableIds) expect(busanProbe(id).reachable).toBe(true);
});

describe('seoul: the primary VPN goes down', () => {
  it('keeps the TGW static route, loses the site, and regains it once the route is replaced', async () => {
    setAll(seoul.primary.tunnels, 'DOWN');
    const seen = await snapshot();
    expect(
      seen.vpnConnections[seoul.primary.vpnId]?.tunnels.map((t) => [t.status, t.lastStatusChange]),
    ).toEqual([
      ['DOWN', '2026-03-02T10:01:00.000Z'],
      ['DOWN', '2026-03-02T10:01:00.000Z'],
    ]);
    expect(seen.tgwRouteTables[DEMO.tgwRouteTableId]?.routes[0]).toEqual({
      destination: seoul.prefix,
      attachmentId: seoul.primary.attachmentId,
      type: 'static',
      state: 'active',
    });
    expect(seoulProbe()).toMatchObject({
      reachable: false,
      reason: `${seoul.primary.vpnId} has no tunnel UP`,
    });

    const failover: RouteAction = {
      type: 'tgw-route',
      routeTableId: DEMO.tgwRouteTableId,
      destination: seoul.prefix,
      attachmentId: seoul.backup.attachmentId,
      previousAttachmentId: seoul.primary.attachmentId,
    };
    expect((await applyActions(h.ec2, [failover, failover])).map((r) => r.outcome)).toEqual([
      'changed',
      'changed',
    ]);
    expect(seoulProbe()).toMatchObject({
      reachable: true,
      hops: expect.arrayContaining([seoul.backup.vpnId]),
    });
  });
});

describe('busan: the BGP VPN goes down', () => {
  it('withdraws the propagated route; a static override to the TGW reaches busan over the backup VPN', async () => {
    setAll(busan.bgp.tunnels, 'DOWN');
    const seen = await snapshot();
    for (const id of DEMO.routeTableIds) {
      expect(seen.vpcRouteTables[id]?.routes.map((r) => r.origin)).toEqual(['CreateRouteTable']);
      expect(busanProbe(id).reachable).toBe(false);
    }
    expect((await applyActions(h.ec2, overrides)).map((r) => r.outcome)).toEqual(['changed', 'changed']);
    for (const id of DEMO.routeTableIds) {
      expect(busanProbe(id)).toMatchObject({
        reachable: true,
        hops: [
          id,
          DEMO.tgwId,
          busan.vpcAttachmentId,
          DEMO.tgwRouteTableId,
          busan.backup.attachmentId,
          busan.backup.vpnId,
          '198.51.100.40',
        ],
      });
    }

    // Failback: BGP is back, the override goes, and the propagated route carries busan again.
    setAll(busan.bgp.tunnels, 'UP');
    const failback: RouteAction[] = DEMO.routeTableIds.map((routeTableId) => ({
      type: 'vpc-static-route-absent',
      routeTableId,
      destination: busan.prefix,
      previousTarget: toTgw,
    }));
    expect((await applyActions(h.ec2, failback)).map((r) => r.outcome)).toEqual(['changed', 'changed']);
    expect(busanProbe().hops).toEqual([DEMO.routeTableIds[0], DEMO.vgwId, busan.bgp.vpnId, '198.51.100.30']);
  });
});

describe('gray failure on busan', () => {
  it('is invisible to the control plane, unreachable in the data plane, and fixed by the override', async () => {
    for (const ip of busan.bgp.tunnels) setTrafficPassing(h.world, ip, false);
    const seen = await snapshot();
    expect(seen.vpnConnections[busan.bgp.vpnId]?.tunnels.map((t) => t.status)).toEqual(['UP', 'UP']);
    expect(seen.vpcRouteTables[DEMO.routeTableIds[0]]?.routes[1]).toMatchObject({
      destination: busan.prefix,
      target: { kind: 'vpn-gateway', id: DEMO.vgwId },
    });
    expect(busanProbe()).toMatchObject({ reachable: false, reason: expect.stringContaining('gray failure') });

    await applyActions(h.ec2, overrides);
    const after = await snapshot();
    expect(
      after.vpcRouteTables[DEMO.routeTableIds[0]]?.routes.map((r) => `${r.destination} ${r.origin}`),
    ).toEqual([
      `${DEMO.vpcCidr} CreateRouteTable`,
      `${busan.prefix} CreateRoute`,
      `${busan.prefix} EnableVgwRoutePropagation`,
    ]);
    expect(busanProbe().reachable).toBe(true);
  });
});
