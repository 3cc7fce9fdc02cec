import { describe, expect, it } from 'vitest';
import { parseConfig, sitePolicy } from '../../lib/config/load.js';
import { decide } from '../../lib/policy/decide.js';
import type { SiteHistory } from '../../lib/policy/plan.js';
import { minutesAgo, policyOf, site, steadySnapshot, T0, tunnel, withTunnels } from './builders.js';
import { applyModel } from './model.js';

const noHistory: SiteHistory = { transitions: [] };
const SEOUL_PRIMARY = 'vpn-0a1b2c3d4e5f60001';
const SEOUL_BACKUP = 'vpn-0a1b2c3d4e5f60002';
const BUSAN_BGP = 'vpn-0a1b2c3d4e5f60003';

function plan(siteName: string, snapshot = steadySnapshot(), history = noHistory, now = T0) {
  return decide({
    site: site(siteName),
    policy: policyOf(siteName),
    snapshot,
    history,
    mode: 'enabled',
    now,
  });
}

describe('decide: transit gateway static routes (seoul-dc)', () => {
  it('changes nothing when every path is healthy and routes are on the primary', () => {
    const p = plan('seoul-dc');
    expect(p).toMatchObject({
      decision: 'steady',
      activePath: 'primary',
      desiredPath: 'primary',
      actions: [],
      deferred: [],
    });
    expect(p.findings).toEqual([]);
  });

  it('one tunnel down is a redundancy finding, not a route change', () => {
    const snapshot = withTunnels(steadySnapshot(), SEOUL_PRIMARY, [
      tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 2)),
      tunnel('198.51.100.11', 'UP', minutesAgo(T0, 60)),
    ]);
    const p = plan('seoul-dc', snapshot);
    expect(p.actions).toEqual([]);
    expect(p.findings).toEqual([
      expect.objectContaining({ code: 'redundancy-lost', path: 'primary', severity: 'minor' }),
    ]);
  });

  it('fails over to the backup attachment when every primary tunnel is down', () => {
    const down = minutesAgo(T0, 1);
    const snapshot = withTunnels(steadySnapshot(), SEOUL_PRIMARY, [
      tunnel('198.51.100.10', 'DOWN', down),
      tunnel('198.51.100.11', 'DOWN', down),
    ]);
    const p = plan('seoul-dc', snapshot);
    expect(p).toMatchObject({ decision: 'failover', activePath: 'primary', desiredPath: 'backup' });
    expect(p.actions).toEqual([
      {
        type: 'tgw-route',
        routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
        destination: '10.3.0.0/20',
        attachmentId: 'tgw-attach-0a1b2c3d4e5f60002',
        previousAttachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
      },
    ]);
    expect(p.findings.map((f) => f.code)).toEqual(['path-down', 'failover']);
  });

  it('changes nothing and says so (critical) when the backup is down too', () => {
    let snapshot = steadySnapshot();
    for (const [vpnId, ips] of [
      [SEOUL_PRIMARY, ['198.51.100.10', '198.51.100.11']],
      [SEOUL_BACKUP, ['198.51.100.20', '198.51.100.21']],
    ] as const) {
      snapshot = withTunnels(
        snapshot,
        vpnId,
        ips.map((ip) => tunnel(ip, 'DOWN', minutesAgo(T0, 1))),
      );
    }
    const p = plan('seoul-dc', snapshot);
    expect(p).toMatchObject({ decision: 'no-healthy-path', actions: [] });
    expect(p.desiredPath).toBeUndefined();
    expect(p.findings).toContainEqual(
      expect.objectContaining({ code: 'no-healthy-path', severity: 'critical' }),
    );
  });

  describe('failback', () => {
    const onBackup = () => {
      const down = steadySnapshot();
      const failed = withTunnels(down, SEOUL_PRIMARY, [
        tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 30)),
        tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 30)),
      ]);
      const moved = applyModel(failed, plan('seoul-dc', failed).actions, site('seoul-dc'));
      return (recoveredMinutesAgo: number) =>
        withTunnels(moved, SEOUL_PRIMARY, [
          tunnel('198.51.100.10', 'UP', minutesAgo(T0, recoveredMinutesAgo)),
          tunnel('198.51.100.11', 'UP', minutesAgo(T0, recoveredMinutesAgo + 1)),
        ]);
    };

    it('holds on the backup while the primary is inside its hold-down', () => {
      const p = plan('seoul-dc', onBackup()(5));
      expect(p).toMatchObject({ decision: 'hold', activePath: 'backup', desiredPath: 'backup', actions: [] });
      expect(p.findings).toContainEqual(
        expect.objectContaining({ code: 'failback-pending', message: expect.stringContaining('in 4 min') }),
      );
    });

    it('fails back once the primary has been healthy for the hold-down', () => {
      const p = plan('seoul-dc', onBackup()(10));
      expect(p).toMatchObject({ decision: 'failback', activePath: 'backup', desiredPath: 'primary' });
      expect(p.actions).toEqual([
        expect.objectContaining({ type: 'tgw-route', attachmentId: 'tgw-attach-0a1b2c3d4e5f60001' }),
      ]);
    });

    it('holds while the primary is flapping, whatever its hold-down says', () => {
      const transitions = Array.from({ length: 5 }, (_, i) => ({
        vpnId: SEOUL_PRIMARY,
        tunnelIp: '198.51.100.10',
        at: minutesAgo(T0, 12 + i),
      }));
      const p = plan('seoul-dc', onBackup()(11), { transitions });
      expect(p).toMatchObject({ decision: 'hold', desiredPath: 'backup', actions: [] });
      expect(p.findings).toContainEqual(
        expect.objectContaining({ code: 'flapping', path: 'primary', severity: 'major' }),
      );
    });

    it('forgets transitions older than the flap window', () => {
      const transitions = Array.from({ length: 5 }, (_, i) => ({
        vpnId: SEOUL_PRIMARY,
        tunnelIp: '198.51.100.10',
        at: minutesAgo(T0, 31 + i),
      }));
      expect(plan('seoul-dc', onBackup()(11), { transitions }).decision).toBe('failback');
    });
  });

  it('repairs a blackholed route to the active path', () => {
    const snapshot = steadySnapshot();
    const broken = {
      ...snapshot,
      tgwRouteTables: {
        'tgw-rtb-0a1b2c3d4e5f60001': {
          routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
          routes: [{ destination: '10.3.0.0/20', type: 'static', state: 'blackhole' }],
        },
      },
    } as const;
    const p = plan('seoul-dc', broken);
    expect(p.decision).toBe('repair');
    expect(p.actions).toEqual([
      expect.objectContaining({ type: 'tgw-route', attachmentId: 'tgw-attach-0a1b2c3d4e5f60001' }),
    ]);
  });

  it('reports a missing route table instead of acting on it', () => {
    const p = plan('seoul-dc', { ...steadySnapshot(), tgwRouteTables: {} });
    expect(p.actions).toEqual([]);
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'missing-resource',
        message: expect.stringContaining('tgw-rtb-0a1b2c3d4e5f60001'),
      }),
    );
  });
});

describe('decide: VPC route tables behind a VGW (busan-dc)', () => {
  const bgpDown = () =>
    withTunnels(steadySnapshot(), BUSAN_BGP, [
      tunnel('198.51.100.30', 'DOWN', minutesAgo(T0, 1)),
      tunnel('198.51.100.31', 'DOWN', minutesAgo(T0, 1)),
    ]);

  it('is steady on the propagated route', () => {
    expect(plan('busan-dc')).toMatchObject({ decision: 'steady', activePath: 'bgp-primary', actions: [] });
  });

  it('adds a static override to the next healthy path when BGP is down, in every table for every prefix', () => {
    const p = plan('busan-dc', bgpDown());
    expect(p).toMatchObject({ decision: 'failover', desiredPath: 'static-secondary' });
    expect(p.actions).toHaveLength(4);
    for (const action of p.actions) {
      expect(action).toMatchObject({
        type: 'vpc-static-route',
        target: { kind: 'network-interface', id: 'eni-0a1b2c3d4e5f60001' },
      });
    }
  });

  it('removes the override on failback, handing the prefix back to the propagated route', () => {
    const failed = bgpDown();
    const moved = applyModel(failed, plan('busan-dc', failed).actions, site('busan-dc'));
    const back = withTunnels(moved, BUSAN_BGP, [
      tunnel('198.51.100.30', 'UP', minutesAgo(T0, 15)),
      tunnel('198.51.100.31', 'UP', minutesAgo(T0, 15)),
    ]);
    const p = plan('busan-dc', back);
    expect(p).toMatchObject({
      decision: 'failback',
      activePath: 'static-secondary',
      desiredPath: 'bgp-primary',
    });
    expect(p.actions.map((a) => a.type)).toEqual([
      'vpc-static-route-absent',
      'vpc-static-route-absent',
      'vpc-static-route-absent',
      'vpc-static-route-absent',
    ]);
    const after = applyModel(back, p.actions, site('busan-dc'));
    expect(plan('busan-dc', after)).toMatchObject({
      decision: 'steady',
      activePath: 'bgp-primary',
      actions: [],
    });
  });

  it('removes an override only for a prefix whose propagated route is visible (BGP advertising one of two)', () => {
    const failed = bgpDown();
    const moved = applyModel(failed, plan('busan-dc', failed).actions, site('busan-dc'));
    const back = withTunnels(moved, BUSAN_BGP, [
      tunnel('198.51.100.30', 'UP', minutesAgo(T0, 15)),
      tunnel('198.51.100.31', 'UP', minutesAgo(T0, 15)),
    ]);
    // The customer gateway advertises 10.4.0.0/20 only: no propagated route for 10.4.16.0/24.
    const partial = {
      ...back,
      vpcRouteTables: Object.fromEntries(
        Object.entries(back.vpcRouteTables).map(([id, t]) => [
          id,
          {
            ...t,
            routes: t.routes.filter(
              (r) => !(r.origin === 'EnableVgwRoutePropagation' && r.destination === '10.4.16.0/24'),
            ),
          },
        ]),
      ),
    };
    const p = plan('busan-dc', partial);
    expect(p.actions.map((a) => ('destination' in a ? `${a.type} ${a.destination}` : a.type))).toEqual([
      'vpc-static-route-absent 10.4.0.0/20',
      'vpc-static-route-absent 10.4.0.0/20',
    ]);
    expect(p.findings.filter((f) => f.code === 'failback-blocked')).toHaveLength(2);
  });

  it('does not fail back to a BGP VPN whose tunnels are UP with 0 accepted routes (IPsec up, BGP down)', () => {
    const failed = bgpDown();
    const moved = applyModel(failed, plan('busan-dc', failed).actions, site('busan-dc'));
    const back = withTunnels(moved, BUSAN_BGP, [
      tunnel('198.51.100.30', 'UP', minutesAgo(T0, 15), 0),
      tunnel('198.51.100.31', 'UP', minutesAgo(T0, 15), 0),
    ]);
    const p = plan('busan-dc', back);
    expect(p.actions).toEqual([]);
    expect(p.paths[0]).toMatchObject({ name: 'bgp-primary', health: 'down' });
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'path-down',
        path: 'bgp-primary',
        message: expect.stringContaining('IPsec UP but BGP has 0 accepted routes'),
      }),
    );
  });

  it('re-enables VGW propagation that drifted off, without moving traffic', () => {
    const snapshot = steadySnapshot();
    const table = snapshot.vpcRouteTables['rtb-0a1b2c3d4e5f60002'];
    if (table === undefined) throw new Error('fixture');
    const drifted = {
      ...snapshot,
      vpcRouteTables: {
        ...snapshot.vpcRouteTables,
        'rtb-0a1b2c3d4e5f60002': { ...table, propagatingGateways: [] },
      },
    };
    const p = plan('busan-dc', drifted);
    expect(p.actions).toContainEqual({
      type: 'vgw-propagation',
      routeTableId: 'rtb-0a1b2c3d4e5f60002',
      gatewayId: 'vgw-0a1b2c3d4e5f60001',
    });
    expect(p.findings).toContainEqual(expect.objectContaining({ code: 'drift' }));
  });

  it('flags an existing route that sends on-prem traffic where a VPN cannot reach; replaces it only when the site enforces', () => {
    const failed = bgpDown();
    const table = failed.vpcRouteTables['rtb-0a1b2c3d4e5f60001'];
    if (table === undefined) throw new Error('fixture');
    const viaNat = {
      ...failed,
      vpcRouteTables: {
        ...failed.vpcRouteTables,
        'rtb-0a1b2c3d4e5f60001': {
          ...table,
          routes: [
            ...table.routes,
            {
              destination: '10.4.0.0/20',
              target: { kind: 'other', id: 'nat-0a1b2c3d4e5f60009' },
              origin: 'CreateRoute',
              state: 'active',
            },
          ],
        },
      },
    } as const;
    const p = plan('busan-dc', viaNat);
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'unusable-route',
        message: expect.stringContaining(
          'nat-0a1b2c3d4e5f60009 is a NAT gateway: traffic arriving from a VPN cannot transit',
        ),
      }),
    );
    // A target outside the config is an operator's override: reported, not reverted…
    expect(p.findings).toContainEqual(expect.objectContaining({ code: 'manual-override' }));
    expect(p.actions).not.toContainEqual(
      expect.objectContaining({ routeTableId: 'rtb-0a1b2c3d4e5f60001', destination: '10.4.0.0/20' }),
    );
    // …unless the site says to enforce its routes.
    const enforced = decide({
      site: { ...site('busan-dc'), enforce: true },
      policy: policyOf('busan-dc'),
      snapshot: viaNat,
      history: noHistory,
      mode: 'enabled',
      now: T0,
    });
    expect(enforced.actions).toContainEqual(
      expect.objectContaining({
        type: 'vpc-static-route',
        routeTableId: 'rtb-0a1b2c3d4e5f60001',
        destination: '10.4.0.0/20',
      }),
    );
  });

  it('never caps a failover: every route leaves the dead path in this run (change-cap.test.ts caps failback)', () => {
    const p = decide({
      site: site('busan-dc'),
      policy: { ...policyOf('busan-dc'), maxChangesPerRun: 3 },
      snapshot: bgpDown(),
      history: noHistory,
      mode: 'enabled',
      now: T0,
    });
    expect(p.decision).toBe('failover');
    expect(p.actions).toHaveLength(4);
    expect(p.deferred).toHaveLength(0);
    expect(p.findings).not.toContainEqual(expect.objectContaining({ code: 'change-cap-reached' }));
  });
});

describe('decide: a failover that stopped halfway', () => {
  const twoTables = parseConfig(
    `
version: 1
sites:
  - name: seoul-dc
    prefixes: [10.3.0.0/20]
    routeTables: { transitGateway: [tgw-rtb-0a1b2c3d4e5f60001, tgw-rtb-0a1b2c3d4e5f60002] }
    paths:
      - { name: primary, vpn: vpn-0a1b2c3d4e5f60001, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60001 }
      - { name: backup, vpn: vpn-0a1b2c3d4e5f60002, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60002 }
`,
    'two-tables.yml',
  );

  it('finishes the failover to the path in use the longest instead of failing back before the hold-down', () => {
    const seoul = twoTables.sites[0];
    if (seoul === undefined) throw new Error('fixture');
    // Both VPNs dropped; the backup came back at 10:02 and took one table; the primary came back at 10:04.
    let snapshot = withTunnels(steadySnapshot(), SEOUL_PRIMARY, [
      tunnel('198.51.100.10', 'UP', minutesAgo(T0, 1)),
      tunnel('198.51.100.11', 'UP', minutesAgo(T0, 1)),
    ]);
    snapshot = withTunnels(snapshot, SEOUL_BACKUP, [
      tunnel('198.51.100.20', 'UP', minutesAgo(T0, 3)),
      tunnel('198.51.100.21', 'UP', minutesAgo(T0, 3)),
    ]);
    const route = (attachmentId: string) =>
      [{ destination: '10.3.0.0/20', attachmentId, type: 'static', state: 'active' }] as const;
    snapshot = {
      ...snapshot,
      tgwRouteTables: {
        'tgw-rtb-0a1b2c3d4e5f60001': {
          routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
          routes: route('tgw-attach-0a1b2c3d4e5f60002'),
        },
        'tgw-rtb-0a1b2c3d4e5f60002': {
          routeTableId: 'tgw-rtb-0a1b2c3d4e5f60002',
          routes: route('tgw-attach-0a1b2c3d4e5f60001'),
        },
      },
    };
    const p = decide({
      site: seoul,
      policy: sitePolicy(twoTables, seoul),
      snapshot,
      history: noHistory,
      mode: 'enabled',
      now: T0,
    });
    expect(p.desiredPath).toBe('backup');
    expect(p.actions).toEqual([
      expect.objectContaining({
        routeTableId: 'tgw-rtb-0a1b2c3d4e5f60002',
        attachmentId: 'tgw-attach-0a1b2c3d4e5f60002',
      }),
    ]);
  });
});
