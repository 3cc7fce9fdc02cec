import { describe, expect, it } from 'vitest';
import type { Snapshot, TgwRoute, VpcRoute } from '../../lib/domain/snapshot.js';
import { decide } from '../../lib/policy/decide.js';
import {
  prefixRelation,
  probeAddressOf,
  tgwRouteForAddress,
  vpcRouteForAddress,
} from '../../lib/policy/longest-prefix.js';
import { policyOf, site, steadySnapshot, T0 } from './builders.js';

// busan-dc (builders.ts): a BGP primary on a VGW, 10.4.0.0/20 and 10.4.16.0/24 in two VPC tables.
const VPC_TABLES = ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'];
const VGW = 'vgw-0a1b2c3d4e5f60001';
const TGW = 'tgw-0a1b2c3d4e5f60001';
const LOCAL: VpcRoute = {
  destination: '10.0.0.0/16',
  target: { kind: 'local', id: 'local' },
  origin: 'CreateRouteTable',
  state: 'active',
};

function plan(name: string, snapshot: Snapshot) {
  return decide({
    site: site(name),
    policy: policyOf(name),
    snapshot,
    history: { transitions: [] },
    mode: 'enabled',
    now: T0,
  });
}

function withVpcRoutes(snapshot: Snapshot, routes: VpcRoute[]): Snapshot {
  const tables = Object.fromEntries(
    VPC_TABLES.map((id) => {
      const table = snapshot.vpcRouteTables[id];
      if (table === undefined) throw new Error(`no ${id}`);
      return [id, { ...table, routes }];
    }),
  );
  return { ...snapshot, vpcRouteTables: { ...snapshot.vpcRouteTables, ...tables } };
}

const toTgw = (destination: string): VpcRoute => ({
  destination,
  target: { kind: 'transit-gateway', id: TGW },
  origin: 'CreateRoute',
  state: 'active',
});
const propagated = (destination: string): VpcRoute => ({
  destination,
  target: { kind: 'vpn-gateway', id: VGW },
  origin: 'EnableVgwRoutePropagation',
  state: 'active',
});

describe('longest prefix: an aggregate advertisement carries a site prefix (busan-dc on its TGW backup)', () => {
  // After a failover both prefixes are overridden to the TGW; the BGP primary is back and settled, but
  // its customer gateway advertises only the aggregate 10.4.0.0/16, so no route for the exact prefixes
  // is ever propagated.
  const onBackup = (extra: VpcRoute[] = []) =>
    withVpcRoutes(steadySnapshot(), [
      LOCAL,
      toTgw('10.4.0.0/20'),
      toTgw('10.4.16.0/24'),
      propagated('10.4.0.0/16'),
      ...extra,
    ]);

  it('fails back: removing the overrides hands both prefixes to the propagated /16', () => {
    const p = plan('busan-dc', onBackup());
    expect(p.decision).toBe('failback');
    expect(p.actions).toEqual(
      VPC_TABLES.flatMap((routeTableId) =>
        ['10.4.0.0/20', '10.4.16.0/24'].map((destination) => ({
          type: 'vpc-static-route-absent',
          routeTableId,
          destination,
          previousTarget: { kind: 'transit-gateway', id: TGW },
        })),
      ),
    );
    expect(p.findings.map((f) => f.code)).not.toContain('failback-blocked');
  });

  it('sees the site on the primary once it is carried by the aggregate alone (no overrides left)', () => {
    const p = plan('busan-dc', withVpcRoutes(steadySnapshot(), [LOCAL, propagated('10.4.0.0/16')]));
    expect(p).toMatchObject({ decision: 'steady', activePath: 'bgp-primary', actions: [] });
  });

  it('still blocks failback when a longer covering route elsewhere would take the prefix, not the aggregate', () => {
    // A static 10.4.0.0/18 to the TGW is longer than the /16: removing the /20 override moves nothing back.
    const p = plan('busan-dc', onBackup([toTgw('10.4.0.0/18')]));
    const blocked = p.findings.filter((f) => f.code === 'failback-blocked');
    expect(blocked.map((f) => f.message)).toContain(
      `${VPC_TABLES[0]} keeps its override for 10.4.0.0/20: no route propagated from ${VGW} would replace it`,
    );
    expect(p.actions).not.toContainEqual(expect.objectContaining({ destination: '10.4.0.0/20' }));
  });
});

describe('longest prefix: an aggregate propagated on a transit gateway (gimpo-dc, BGP + ECMP)', () => {
  const TABLE = 'tgw-rtb-0a1b2c3d4e5f60002';
  it('pins nothing at rest when BGP carries the prefixes with an aggregate /16 (ECMP)', () => {
    const aggregate: TgwRoute = {
      destination: '10.6.0.0/16',
      attachmentId: 'tgw-attach-0a1b2c3d4e5f60005',
      attachmentIds: ['tgw-attach-0a1b2c3d4e5f60005', 'tgw-attach-0a1b2c3d4e5f60006'],
      type: 'propagated',
      state: 'active',
    };
    const snapshot: Snapshot = {
      ...steadySnapshot(),
      tgwRouteTables: {
        ...steadySnapshot().tgwRouteTables,
        [TABLE]: { routeTableId: TABLE, routes: [aggregate] },
      },
    };
    const p = plan('gimpo-dc', snapshot);
    expect(p).toMatchObject({ decision: 'steady', activePath: 'bgp-a', actions: [] });
  });
});

describe('longest prefix: shadowing routes are reported, never acted on', () => {
  it('reports a more-specific VPC route that sends part of a prefix elsewhere', () => {
    const shadow: VpcRoute = {
      destination: '10.4.8.0/24',
      target: { kind: 'other', id: 'pcx-0a1b2c3d4e5f60001' },
      origin: 'CreateRoute',
      state: 'active',
    };
    const steady = steadySnapshot();
    const table = steady.vpcRouteTables[VPC_TABLES[0] ?? ''];
    if (table === undefined) throw new Error('no table');
    const snapshot: Snapshot = {
      ...steady,
      vpcRouteTables: {
        ...steady.vpcRouteTables,
        [table.routeTableId]: { ...table, routes: [...table.routes, shadow] },
      },
    };
    const p = plan('busan-dc', snapshot);
    const shadows = p.findings.filter((f) => f.code === 'shadowing-route');
    expect(shadows).toEqual([
      {
        code: 'shadowing-route',
        severity: 'major',
        message: `${VPC_TABLES[0]} routes 10.4.8.0/24 (inside 10.4.0.0/20) to pcx-0a1b2c3d4e5f60001, not to ${VGW} like the rest of 10.4.0.0/20: longest prefix wins, so tunnel-warden's route does not carry those addresses (reported, not changed)`,
      },
    ]);
    expect(p.actions).toEqual([]);
  });

  it('reports a more-specific TGW route to another attachment, and a blackhole one', () => {
    const TABLE = 'tgw-rtb-0a1b2c3d4e5f60001';
    const steady = steadySnapshot();
    const routes = steady.tgwRouteTables[TABLE]?.routes ?? [];
    const snapshot: Snapshot = {
      ...steady,
      tgwRouteTables: {
        ...steady.tgwRouteTables,
        [TABLE]: {
          routeTableId: TABLE,
          routes: [
            ...routes,
            {
              destination: '10.3.4.0/24',
              attachmentId: 'tgw-attach-0a1b2c3d4e5f60009',
              type: 'propagated',
              state: 'active',
            },
            { destination: '10.3.5.0/24', type: 'static', state: 'blackhole' },
            // Same attachment as the /20: not a shadow.
            {
              destination: '10.3.6.0/24',
              attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
              type: 'static',
              state: 'active',
            },
          ],
        },
      },
    };
    const p = plan('seoul-dc', snapshot);
    const shadows = p.findings.filter((f) => f.code === 'shadowing-route').map((f) => f.message);
    expect(shadows).toHaveLength(2);
    expect(shadows[0]).toContain(
      `${TABLE} routes 10.3.4.0/24 (inside 10.3.0.0/20) to tgw-attach-0a1b2c3d4e5f60009`,
    );
    expect(shadows[1]).toContain(`${TABLE} routes 10.3.5.0/24 (inside 10.3.0.0/20) to blackhole`);
    expect(p).toMatchObject({ decision: 'steady', actions: [] });
  });

  it('says when the search for routes inside a TGW prefix was truncated', () => {
    const TABLE = 'tgw-rtb-0a1b2c3d4e5f60001';
    const steady = steadySnapshot();
    const table = steady.tgwRouteTables[TABLE];
    if (table === undefined) throw new Error('no table');
    const snapshot: Snapshot = {
      ...steady,
      tgwRouteTables: { ...steady.tgwRouteTables, [TABLE]: { ...table, moreSpecificIncomplete: true } },
    };
    const p = plan('seoul-dc', snapshot);
    expect(p.findings).toContainEqual(
      expect.objectContaining({ code: 'shadowing-route', severity: 'minor' }),
    );
  });
});

describe('longest prefix: helpers', () => {
  it('relates destinations to a prefix', () => {
    expect(prefixRelation('10.4.0.0/20', '10.4.0.0/20')).toBe('exact');
    expect(prefixRelation('10.4.0.0/16', '10.4.0.0/20')).toBe('covering');
    expect(prefixRelation('0.0.0.0/0', '10.4.0.0/20')).toBe('covering');
    expect(prefixRelation('10.4.8.0/24', '10.4.0.0/20')).toBe('more-specific');
    expect(prefixRelation('10.4.16.0/24', '10.4.0.0/20')).toBe('unrelated');
    expect(prefixRelation('not a cidr', '10.4.0.0/20')).toBe('unrelated');
  });

  it('picks the longest match for an address, static before propagated, blackholes included', () => {
    const routes: VpcRoute[] = [propagated('10.4.0.0/16'), toTgw('10.4.0.0/20'), propagated('10.4.0.0/20')];
    expect(vpcRouteForAddress(routes, '10.4.0.1')).toBe(routes[1]);
    expect(vpcRouteForAddress(routes, '10.4.200.1')).toBe(routes[0]);
    expect(vpcRouteForAddress(routes, '10.5.0.1')).toBeUndefined();
    // A propagated route overlapping the VPC's own CIDR never applies, even a more specific one.
    expect(vpcRouteForAddress([LOCAL, propagated('10.0.5.0/24')], '10.0.5.9')).toBe(LOCAL);
    const hole: TgwRoute = { destination: '10.3.0.0/24', type: 'static', state: 'blackhole' };
    const wide: TgwRoute = { destination: '10.3.0.0/20', attachmentId: 'a', type: 'static', state: 'active' };
    expect(tgwRouteForAddress([wide, hole], '10.3.0.1')).toBe(hole);
  });

  it('defaults the probe address to the first host of the first prefix', () => {
    expect(probeAddressOf({ prefixes: ['10.4.0.0/20'] })).toBe('10.4.0.1');
    expect(probeAddressOf({ prefixes: ['10.4.0.7/32'] })).toBe('10.4.0.7');
    expect(probeAddressOf({ prefixes: ['10.4.0.0/20'], probeAddress: '10.4.3.3' })).toBe('10.4.3.3');
  });
});
