/**
 * The policy's branches that the property generator does not reach because no consistent world (or no
 * config the schema accepts) leads there: each is a defence, and each is pinned here by name.
 */
import { describe, expect, it } from 'vitest';
import type { PathConfig, SiteConfig } from '../../lib/config/schema.js';
import type { RouteAction } from '../../lib/domain/actions.js';
import type { DrillRequest } from '../../lib/domain/signal.js';
import type { Snapshot } from '../../lib/domain/snapshot.js';
import { choosePath } from '../../lib/policy/choose-path.js';
import { convergeTo } from '../../lib/policy/converge.js';
import { planTunnelReplacement, simulateDrill } from '../../lib/policy/drill.js';
import { actionInEffect } from '../../lib/policy/in-effect.js';
import { handsOff } from '../../lib/policy/operator.js';
import { assessBehind } from '../../lib/policy/path-behind.js';
import { holdDownElapsed, holdDownRemaining } from '../../lib/policy/path-health.js';
import type { PathAssessment } from '../../lib/policy/plan.js';
import { assessVpn } from '../../lib/policy/vpn-health.js';
import {
  BUSAN_BEHIND_TABLE,
  BUSAN_BEHIND_VPN,
  minutesAgo,
  policyOf,
  site,
  steadySnapshot,
  T0,
  tunnel,
  vpn,
} from './builders.js';

const healthy = (name: string, extra: Partial<PathAssessment> = {}): PathAssessment => ({
  name,
  health: 'healthy',
  reason: 'test',
  healthySince: minutesAgo(T0, 2),
  tunnelsUp: 2,
  tunnelsTotal: 2,
  recentTransitions: 0,
  flapping: false,
  ...extra,
});
const POLICY = policyOf('seoul-dc');
const BUSAN = site('busan-dc');
const TGW_BACKUP = BUSAN.paths.find((p) => p.name === 'tgw-backup') ?? (undefined as never);

describe('hold-down', () => {
  it('counts a healthy path with no known start as settled long ago', () => {
    const path = healthy('p', {});
    const { healthySince: _, ...noSince } = path;
    expect(holdDownElapsed(noSince, POLICY.holdDownMs, T0)).toBe(true);
    expect(holdDownRemaining(noSince, POLICY.holdDownMs, T0)).toBeLessThan(0);
  });

  it('never counts a path that is not healthy as settled', () => {
    expect(holdDownElapsed(healthy('p', { health: 'unknown' }), 0, T0)).toBe(false);
  });
});

describe('choosePath', () => {
  it('between two healthy paths in use since the same instant, keeps the better one', () => {
    const choice = choosePath(
      [healthy('a'), healthy('b')],
      { paths: new Set([0, 1]), complete: true },
      POLICY,
      T0,
    );
    expect(choice.desired).toBe(0);
  });

  it('with every healthy path flapping and none in use, still picks the best healthy one', () => {
    const choice = choosePath(
      [healthy('a', { flapping: true }), healthy('b', { flapping: true })],
      { paths: new Set(), complete: false },
      POLICY,
      T0,
    );
    expect(choice.desired).toBe(0);
  });
});

describe('convergeTo on a config the schema would refuse', () => {
  const table = 'rtb-0a1b2c3d4e5f60001';
  const base: SiteConfig = { ...BUSAN, routeTables: { transitGateway: [], vpc: [table], propagation: true } };
  const context = { health: () => 'healthy' as const, settled: () => true };

  it('keeps an override when a VGW path names no VPN: nothing says the propagated route will come', () => {
    const path: PathConfig = {
      name: 'vgw-only',
      vpcTarget: { kind: 'vpn-gateway', id: 'vgw-0a1b2c3d4e5f60009' },
    };
    const s = steadySnapshot();
    const rtb = s.vpcRouteTables[table] ?? (undefined as never);
    const snapshot: Snapshot = {
      ...s,
      vpcRouteTables: {
        [table]: {
          ...rtb,
          propagatingGateways: ['vgw-0a1b2c3d4e5f60009'],
          routes: [
            {
              destination: '10.4.0.0/20',
              target: { kind: 'network-interface', id: 'eni-0a1b2c3d4e5f60001' },
              origin: 'CreateRoute',
              state: 'active',
            },
          ],
        },
      },
    };
    const out = convergeTo({ ...base, paths: [path] }, path, snapshot, context);
    expect(out.actions.filter((a) => 'destination' in a && a.destination === '10.4.0.0/20')).toEqual([]);
    expect(out.findings).toContainEqual(expect.objectContaining({ code: 'failback-blocked' }));
  });
});

describe('drills', () => {
  const drill = (scenario: DrillRequest['scenario'], extra: Partial<DrillRequest> = {}): DrillRequest => ({
    site: 'busan-dc',
    scenario,
    mode: 'dry-run',
    ...extra,
  });

  it('a failback drill plans against the real state', () => {
    const s = steadySnapshot();
    expect(simulateDrill(s, BUSAN, drill('failback'), 'bgp-primary')).toBe(s);
  });

  it('drills the first path with a VPN when the active path has none', () => {
    const drilled = simulateDrill(steadySnapshot(), BUSAN, drill('connection-down'), 'tgw-backup');
    expect(drilled.vpnConnections['vpn-0a1b2c3d4e5f60003']?.tunnels.every((t) => t.status === 'DOWN')).toBe(
      true,
    );
  });

  it('changes nothing on a site without any VPN', () => {
    const s = steadySnapshot();
    const blind: SiteConfig = { ...BUSAN, paths: [TGW_BACKUP] };
    expect(simulateDrill(s, blind, drill('connection-down'), undefined)).toBe(s);
  });

  it('replaces nothing when the drill names no tunnel', () => {
    const plan = planTunnelReplacement(BUSAN, steadySnapshot(), drill('replace-tunnel'), 'enabled', T0);
    expect(plan.actions).toEqual([]);
    expect(plan.findings).toContainEqual(expect.objectContaining({ code: 'missing-resource' }));
  });
});

describe('operator holds', () => {
  it('a site with hold: false is not held', () => {
    const owned = handsOff({ ...BUSAN, hold: false }, steadySnapshot(), T0);
    expect(owned.siteHeld).toBe(false);
    expect(owned.findings).toEqual([]);
  });
});

describe('health behind a path', () => {
  it('is unknown when a managed VPC table was not read', () => {
    const s = steadySnapshot();
    const { 'rtb-0a1b2c3d4e5f60001': _, ...rest } = s.vpcRouteTables;
    expect(assessBehind(TGW_BACKUP, BUSAN, { ...s, vpcRouteTables: rest }).health).toBe('unknown');
  });

  it('is down when the TGW route is active but forwards to no attachment', () => {
    const s = steadySnapshot();
    const snapshot: Snapshot = {
      ...s,
      tgwRouteTables: {
        ...s.tgwRouteTables,
        [BUSAN_BEHIND_TABLE]: {
          routeTableId: BUSAN_BEHIND_TABLE,
          routes: BUSAN.prefixes.map((destination) => ({ destination, type: 'static', state: 'active' })),
        },
      },
    };
    expect(assessBehind(TGW_BACKUP, BUSAN, snapshot)).toMatchObject({
      health: 'down',
      reason: expect.stringContaining('no attachment'),
    });
  });

  it('is healthy since the latest of its legs, each leg since the earliest of its ECMP attachments', () => {
    const s = steadySnapshot();
    const other = 'vpn-0a1b2c3d4e5f60009';
    const otherAttachment = 'tgw-attach-0a1b2c3d4e5f60009';
    const since = (m: number) => [
      tunnel(`${m}.1`, 'UP', minutesAgo(T0, m)),
      tunnel(`${m}.2`, 'DOWN', minutesAgo(T0, m)),
    ];
    const [first, second] = BUSAN.prefixes;
    const snapshot: Snapshot = {
      ...s,
      vpnConnections: {
        ...s.vpnConnections,
        [BUSAN_BEHIND_VPN]: vpn(BUSAN_BEHIND_VPN, since(30), { transitGatewayId: 'tgw-0a1b2c3d4e5f60001' }),
        [other]: vpn(other, since(20), { transitGatewayId: 'tgw-0a1b2c3d4e5f60001' }),
      },
      tgwAttachments: {
        ...s.tgwAttachments,
        [otherAttachment]: {
          attachmentId: otherAttachment,
          transitGatewayId: 'tgw-0a1b2c3d4e5f60001',
          resourceType: 'vpn',
          resourceId: other,
          state: 'available',
        },
      },
      tgwRouteTables: {
        ...s.tgwRouteTables,
        [BUSAN_BEHIND_TABLE]: {
          routeTableId: BUSAN_BEHIND_TABLE,
          routes: [
            // ECMP over both: healthy since the earliest (30 min), in either order.
            {
              destination: first ?? '',
              attachmentId: otherAttachment,
              attachmentIds: [otherAttachment, 'tgw-attach-0a1b2c3d4e5f60008', otherAttachment],
              type: 'propagated',
              state: 'active',
            },
            // Only the younger VPN: healthy since 20 min.
            { destination: second ?? '', attachmentId: otherAttachment, type: 'static', state: 'active' },
          ],
        },
      },
    };
    // Both VPC tables see both legs: the path is healthy since the latest leg (20 min).
    expect(assessBehind(TGW_BACKUP, BUSAN, snapshot).healthySince).toBe(minutesAgo(T0, 20));
  });

  it('is unknown when nothing behind the path can be followed', () => {
    const none = {
      prefixes: BUSAN.prefixes,
      routeTables: { transitGateway: [], vpc: [], propagation: true },
    };
    expect(assessBehind(TGW_BACKUP, none, steadySnapshot())).toMatchObject({
      health: 'unknown',
      reason: expect.stringContaining('nothing behind it can be observed'),
    });
  });
});

describe('VPN health', () => {
  it('is unknown when the connection reports no tunnel at all', () => {
    const s = steadySnapshot();
    const id = 'vpn-0a1b2c3d4e5f60001';
    const snapshot: Snapshot = { ...s, vpnConnections: { [id]: vpn(id, []) } };
    expect(assessVpn(id, snapshot)).toMatchObject({
      health: 'unknown',
      reason: expect.stringContaining('no tunnel reported'),
    });
  });
});

describe('actionInEffect: how a run tells what an earlier run really changed', () => {
  const s = steadySnapshot();
  const tgwTable = 'tgw-rtb-0a1b2c3d4e5f60001';
  const vpcTable = 'rtb-0a1b2c3d4e5f60001';
  const cases: [string, RouteAction, Snapshot, string][] = [
    [
      'a TGW static route that is there',
      {
        type: 'tgw-route',
        routeTableId: tgwTable,
        destination: '10.3.0.0/20',
        attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
      },
      s,
      'in-effect',
    ],
    [
      'a TGW static route to another attachment',
      {
        type: 'tgw-route',
        routeTableId: tgwTable,
        destination: '10.3.0.0/20',
        attachmentId: 'tgw-attach-0a1b2c3d4e5f60002',
      },
      s,
      'not-in-effect',
    ],
    [
      'a TGW route in a table not read',
      {
        type: 'tgw-route',
        routeTableId: 'tgw-rtb-0a1b2c3d4e5f600ff',
        destination: '10.3.0.0/20',
        attachmentId: 'x',
      },
      s,
      'unknown',
    ],
    [
      'a TGW static route still there',
      { type: 'tgw-route-absent', routeTableId: tgwTable, destination: '10.3.0.0/20' },
      s,
      'not-in-effect',
    ],
    [
      'a TGW static route gone',
      { type: 'tgw-route-absent', routeTableId: tgwTable, destination: '10.9.0.0/20' },
      s,
      'in-effect',
    ],
    [
      'a TGW removal in a table not read',
      { type: 'tgw-route-absent', routeTableId: 'tgw-rtb-0a1b2c3d4e5f600ff', destination: '10.3.0.0/20' },
      s,
      'unknown',
    ],
    [
      'a VPC override not made',
      {
        type: 'vpc-static-route',
        routeTableId: vpcTable,
        destination: '10.4.0.0/20',
        target: { kind: 'network-interface', id: 'eni-0a1b2c3d4e5f60001' },
      },
      s,
      'not-in-effect',
    ],
    [
      'a VPC override in a table not read',
      {
        type: 'vpc-static-route',
        routeTableId: 'rtb-0a1b2c3d4e5f600ff',
        destination: '10.4.0.0/20',
        target: { kind: 'network-interface', id: 'eni-0a1b2c3d4e5f60001' },
      },
      s,
      'unknown',
    ],
    [
      'a VPC override absent',
      {
        type: 'vpc-static-route-absent',
        routeTableId: vpcTable,
        destination: '10.4.0.0/20',
        previousTarget: { kind: 'network-interface', id: 'eni-0a1b2c3d4e5f60001' },
      },
      s,
      'in-effect',
    ],
    [
      'VGW propagation on',
      { type: 'vgw-propagation', routeTableId: vpcTable, gatewayId: 'vgw-0a1b2c3d4e5f60001' },
      s,
      'in-effect',
    ],
    [
      'VGW propagation in a table not read',
      { type: 'vgw-propagation', routeTableId: 'rtb-0a1b2c3d4e5f600ff', gatewayId: 'vgw-0a1b2c3d4e5f60001' },
      s,
      'unknown',
    ],
    [
      'a VPN static route missing',
      { type: 'vpn-static-route', vpnId: 'vpn-0a1b2c3d4e5f60004', destination: '10.4.0.0/20' },
      s,
      'not-in-effect',
    ],
    [
      'a VPN static route there',
      { type: 'vpn-static-route', vpnId: 'vpn-0a1b2c3d4e5f60004', destination: '10.4.0.0/20' },
      {
        ...s,
        vpnConnections: {
          'vpn-0a1b2c3d4e5f60004': vpn('vpn-0a1b2c3d4e5f60004', [], {
            staticRoutes: [{ destination: '10.4.0.0/20', state: 'available' }],
          }),
        },
      },
      'in-effect',
    ],
    [
      'a VPN static route of a VPN not read',
      { type: 'vpn-static-route', vpnId: 'vpn-0a1b2c3d4e5f600ff', destination: '10.4.0.0/20' },
      s,
      'unknown',
    ],
    [
      'a tunnel replacement',
      { type: 'tunnel-replacement', vpnId: 'vpn-0a1b2c3d4e5f60001', outsideIp: '198.51.100.10' },
      s,
      'unknown',
    ],
  ];
  it.each(cases)('%s', (_, action, snapshot, expected) => {
    expect(actionInEffect(action, snapshot)).toBe(expected);
  });
});
