import { describe, expect, it } from 'vitest';
import { parseConfig, sitePolicy } from '../../lib/config/load.js';
import type { Snapshot, VpcRouteTableState } from '../../lib/domain/snapshot.js';
import { decide } from '../../lib/policy/decide.js';
import { behindTransitGateway, minutesAgo, T0, tunnel, vpn } from './builders.js';
import { applyModel, materialize } from './model.js';

// 3 prefixes × 8 VPC tables behind a BGP VPN on a VGW, with a TGW backup: 24 routes, cap 20.
const TABLES = Array.from({ length: 8 }, (_, i) => `rtb-0a1b2c3d4e5f6010${i}`);
const PREFIXES = ['10.7.0.0/20', '10.7.16.0/20', '10.7.32.0/20'];
const config = parseConfig(
  `
version: 1
defaults: { holdDown: 10m, maxChangesPerRun: 20 }
sites:
  - name: daegu-dc
    prefixes: [${PREFIXES.join(', ')}]
    routeTables: { vpc: [${TABLES.join(', ')}] }
    paths:
      - { name: bgp-primary, vpn: vpn-0a1b2c3d4e5f60003, vpcTarget: vgw-0a1b2c3d4e5f60001 }
      - { name: tgw-backup, vpcTarget: tgw-0a1b2c3d4e5f60001 }
`,
  'cap.yml',
);
const site = config.sites[0] ?? (undefined as never);
const policy = sitePolicy(config, site);

function snapshot(status: 'UP' | 'DOWN', since: number): Snapshot {
  const table = (id: string): VpcRouteTableState => ({
    routeTableId: id,
    vpcId: 'vpc-0a1b2c3d4e5f60001',
    routes: [],
    propagatingGateways: ['vgw-0a1b2c3d4e5f60001'],
    tags: {},
  });
  const tunnels = ['198.51.100.30', '198.51.100.31'].map((ip) => tunnel(ip, status, minutesAgo(T0, since)));
  // The TGW backup reaches daegu over a healthy VPN (path health through the path).
  const behind = behindTransitGateway({
    vpcId: 'vpc-0a1b2c3d4e5f60001',
    prefixes: PREFIXES,
    tunnels: ['198.51.100.80', '198.51.100.81'].map((ip) => tunnel(ip, 'UP', minutesAgo(T0, 120))),
  });
  return materialize(
    {
      takenAt: new Date(T0).toISOString(),
      vpnConnections: {
        ...behind.vpnConnections,
        'vpn-0a1b2c3d4e5f60003': vpn('vpn-0a1b2c3d4e5f60003', tunnels, {
          staticRoutesOnly: false,
          vpnGatewayId: 'vgw-0a1b2c3d4e5f60001',
        }),
      },
      vpcRouteTables: Object.fromEntries(TABLES.map((id) => [id, table(id)])),
      tgwRouteTables: behind.tgwRouteTables,
      ...(behind.tgwAttachments === undefined ? {} : { tgwAttachments: behind.tgwAttachments }),
    },
    PREFIXES,
  );
}

const plan = (s: Snapshot) =>
  decide({ site, policy, snapshot: s, history: { transitions: [] }, mode: 'enabled', now: T0 });

describe('the change cap', () => {
  it('never defers a failover: all 24 routes leave the dead primary in one run', () => {
    const p = plan(snapshot('DOWN', 1));
    expect(p.decision).toBe('failover');
    expect(p.actions).toHaveLength(24);
    expect(p.deferred).toEqual([]);
    expect(p.findings.map((f) => f.code)).not.toContain('change-cap-reached');
  });

  it('caps a failback, and says the deferred work is owed', () => {
    const failedOver = applyModel(snapshot('DOWN', 1), plan(snapshot('DOWN', 1)).actions, site);
    const recovered = materialize(
      { ...failedOver, vpnConnections: snapshot('UP', 30).vpnConnections },
      PREFIXES,
    );
    const p = plan(recovered);
    expect(p.decision).toBe('failback');
    expect(p.actions).toHaveLength(20);
    expect(p.deferred).toHaveLength(4);
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'change-cap-reached',
        message: expect.stringContaining('the run counts as incomplete'),
      }),
    );
  });
});
