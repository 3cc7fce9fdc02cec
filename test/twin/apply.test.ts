import { describe, expect, it } from 'vitest';
import { applyActions } from '../../lib/aws/apply.js';
import type { RouteAction } from '../../lib/domain/actions.js';
import { DEMO } from '../../lib/twin/topologies/demo.js';
import { addStaticVgwVpn, routesOf, startDemoTwin, useDemoTwin } from './helpers.js';

const { seoul, busan } = DEMO;
const [rtbA, rtbB] = DEMO.routeTableIds;
const toTgw = { kind: 'transit-gateway', id: DEMO.tgwId } as const;

const h = useDemoTwin();

const routesOfTable = (id: string) => routesOf(h, id);

describe('applyActions() from lib/aws converges against the twin', () => {
  it('runs a failover plan twice: changed, then already so (or a harmless change), never an error', async () => {
    const staticVpn = addStaticVgwVpn(h);
    const plan: RouteAction[] = [
      {
        type: 'tgw-route',
        routeTableId: DEMO.tgwRouteTableId,
        destination: seoul.prefix,
        attachmentId: seoul.backup.attachmentId,
      },
      { type: 'vpc-static-route', routeTableId: rtbA, destination: busan.prefix, target: toTgw },
      { type: 'vpc-static-route', routeTableId: rtbB, destination: busan.prefix, target: toTgw },
      { type: 'vgw-propagation', routeTableId: rtbA, gatewayId: DEMO.vgwId },
      { type: 'vpn-static-route', vpnId: staticVpn, destination: '10.10.0.0/16' },
    ];
    const first = await applyActions(h.ec2, plan);
    expect(first.map((r) => r.outcome)).toEqual(['changed', 'changed', 'changed', 'changed', 'changed']);
    const second = await applyActions(h.ec2, plan);
    expect(second.map((r) => r.outcome)).toEqual([
      'changed',
      'already-so',
      'already-so',
      'changed',
      'already-so',
    ]);
    expect(second[1]?.calls).toEqual(['CreateRoute', 'DescribeRouteTables']);
    expect(h.world.tgwRouteTables[0]?.routes[0]).toEqual({
      destination: seoul.prefix,
      attachmentId: seoul.backup.attachmentId,
    });
    expect(routesOfTable(rtbA)).toEqual([
      { destination: busan.prefix, target: { param: 'TransitGatewayId', id: DEMO.tgwId } },
    ]);
    expect(h.world.vpnConnections.find((v) => v.id === staticVpn)?.staticRoutes).toEqual([
      '10.9.0.0/16',
      '10.10.0.0/16',
    ]);
  });

  it('fails back: removes the override, then finds it already gone', async () => {
    const override: RouteAction = {
      type: 'vpc-static-route',
      routeTableId: rtbA,
      destination: busan.prefix,
      target: toTgw,
    };
    const failback: RouteAction = {
      type: 'vpc-static-route-absent',
      routeTableId: rtbA,
      destination: busan.prefix,
      previousTarget: toTgw,
    };
    await applyActions(h.ec2, [override]);
    const results = await applyActions(h.ec2, [failback, failback]);
    expect(results.map((r) => r.outcome)).toEqual(['changed', 'already-so']);
    expect(routesOfTable(rtbA)).toEqual([]);
  });

  it('replaces an override that points elsewhere, by the destination AWS stored', async () => {
    h.world.routeTables[0]?.routes.push({
      destination: busan.prefix,
      target: { param: 'NetworkInterfaceId', id: 'eni-0a1b2c3d4e5f60001' },
    });
    const [result] = await applyActions(h.ec2, [
      { type: 'vpc-static-route', routeTableId: rtbA, destination: busan.prefix, target: toTgw },
    ]);
    expect(result).toMatchObject({
      outcome: 'changed',
      calls: ['CreateRoute', 'DescribeRouteTables', 'ReplaceRoute'],
    });
    expect(routesOfTable(rtbA)?.[0]?.target).toEqual({ param: 'TransitGatewayId', id: DEMO.tgwId });
  });

  it('creates a missing TGW route after Replace reports it missing', async () => {
    h.world.tgwRouteTables[0]?.routes.splice(0, 1);
    const [result] = await applyActions(h.ec2, [
      {
        type: 'tgw-route',
        routeTableId: DEMO.tgwRouteTableId,
        destination: seoul.prefix,
        attachmentId: seoul.backup.attachmentId,
      },
    ]);
    expect(result).toMatchObject({
      outcome: 'changed',
      calls: ['ReplaceTransitGatewayRoute', 'CreateTransitGatewayRoute'],
    });
  });

  it('is refused on a resource not tagged managed, like the IAM policy; allowed when enforcement is off', async () => {
    const table = h.world.routeTables[1];
    if (table !== undefined) table.tags = { Name: 'not-ours' };
    const action: RouteAction = {
      type: 'vpc-static-route',
      routeTableId: rtbB,
      destination: busan.prefix,
      target: toTgw,
    };
    const [refused] = await applyActions(h.ec2, [action]);
    expect(refused).toMatchObject({ outcome: 'failed', errorCode: 'UnauthorizedOperation' });
    expect(refused?.detail).toContain('tunnel-warden:managed=true');
    const open = await startDemoTwin({ enforceManagedTag: false });
    try {
      const untagged = open.world.routeTables[1];
      if (untagged !== undefined) untagged.tags = {};
      expect((await applyActions(open.ec2, [action]))[0]?.outcome).toBe('changed');
    } finally {
      await open.twin.close();
    }
  });
});
