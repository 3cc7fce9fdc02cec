import { describe, expect, it } from 'vitest';
import type { Snapshot, TgwRoute } from '../../lib/domain/snapshot.js';
import { decide } from '../../lib/policy/decide.js';
import { minutesAgo, policyOf, site, steadySnapshot, T0, tunnel, withTunnels } from './builders.js';
import { applyModel } from './model.js';

// gimpo-dc (builders.ts): bgp-a and bgp-b are BGP VPNs on a TGW (ECMP), static-backup a static VPN.
const TABLE = 'tgw-rtb-0a1b2c3d4e5f60002';
const BGP_A = 'vpn-0a1b2c3d4e5f60005';
const BGP_B = 'vpn-0a1b2c3d4e5f60006';
const ATTACH_A = 'tgw-attach-0a1b2c3d4e5f60005';
const ATTACH_B = 'tgw-attach-0a1b2c3d4e5f60006';
const ATTACH_STATIC = 'tgw-attach-0a1b2c3d4e5f60007';
const PREFIXES = ['10.6.0.0/20', '10.6.16.0/20'];

function plan(snapshot: Snapshot, now = T0) {
  return decide({
    site: site('gimpo-dc'),
    policy: policyOf('gimpo-dc'),
    snapshot,
    history: { transitions: [] },
    mode: 'enabled',
    now,
  });
}

function withTgwRoutes(snapshot: Snapshot, routes: TgwRoute[]): Snapshot {
  return {
    ...snapshot,
    tgwRouteTables: { ...snapshot.tgwRouteTables, [TABLE]: { routeTableId: TABLE, routes } },
  };
}

const down = (a: string, b: string, ago = 1) => [
  tunnel(a, 'DOWN', minutesAgo(T0, ago)),
  tunnel(b, 'DOWN', minutesAgo(T0, ago)),
];

describe('decide: BGP VPNs on a transit gateway (gimpo-dc)', () => {
  it('plans nothing at rest: a propagated ECMP route is never pinned with a static one', () => {
    const snapshot = steadySnapshot();
    expect(snapshot.tgwRouteTables[TABLE]?.routes[0]).toMatchObject({
      type: 'propagated',
      attachmentIds: [ATTACH_A, ATTACH_B],
    });
    const p = plan(snapshot);
    expect(p).toMatchObject({ decision: 'steady', activePath: 'bgp-a', actions: [], deferred: [] });
  });

  it('plans nothing at rest with a propagated route to the primary alone (no ECMP)', () => {
    const routes = PREFIXES.map(
      (destination): TgwRoute => ({
        destination,
        attachmentId: ATTACH_A,
        type: 'propagated',
        state: 'active',
      }),
    );
    const p = plan(withTgwRoutes(steadySnapshot(), routes));
    expect(p.actions).toEqual([]);
    expect(p.decision).toBe('steady');
  });

  it('fails over by withdrawal: when the propagated route already moved to bgp-b, nothing is written', () => {
    const snapshot = withTunnels(steadySnapshot(), BGP_A, down('198.51.100.50', '198.51.100.51'));
    expect(snapshot.tgwRouteTables[TABLE]?.routes[0]?.attachmentId).toBe(ATTACH_B);
    const p = plan(snapshot);
    expect(p.actions).toEqual([]);
    expect(p.activePath).toBe('bgp-b');
  });

  it('does not add a static route to bgp-a over a healthy propagated route to bgp-b', () => {
    // bgp-a is back and settled, but the customer gateway prefers bgp-b (AS_PATH): BGP decides.
    const routes = PREFIXES.map(
      (destination): TgwRoute => ({
        destination,
        attachmentId: ATTACH_B,
        type: 'propagated',
        state: 'active',
      }),
    );
    const p = plan(withTgwRoutes(steadySnapshot(), routes));
    expect(p.actions).toEqual([]);
    expect(p.decision).toBe('steady');
    expect(p.findings).toContainEqual(expect.objectContaining({ code: 'dynamic-route-kept' }));
  });

  it('overrides with a static route only while the propagated route still points at a dead path', () => {
    // AWS may leave propagated routes in place after an interruption (fact sheet §8).
    let snapshot = withTunnels(steadySnapshot(), BGP_A, down('198.51.100.50', '198.51.100.51'));
    snapshot = withTunnels(snapshot, BGP_B, down('198.51.100.60', '198.51.100.61'));
    const lingering = PREFIXES.map(
      (destination): TgwRoute => ({
        destination,
        attachmentId: ATTACH_A,
        type: 'propagated',
        state: 'active',
      }),
    );
    snapshot = withTgwRoutes(snapshot, lingering);
    const failover = plan(snapshot);
    expect(failover.decision).toBe('failover');
    expect(failover.actions).toEqual(
      PREFIXES.map((destination) => ({
        type: 'tgw-route',
        routeTableId: TABLE,
        destination,
        attachmentId: ATTACH_STATIC,
      })),
    );
    // bgp-a comes back and stays up past the hold-down: the override is removed, not re-pointed.
    const after = applyModel(snapshot, failover.actions, site('gimpo-dc'));
    const back = withTunnels(after, BGP_A, [
      tunnel('198.51.100.50', 'UP', minutesAgo(T0, 30)),
      tunnel('198.51.100.51', 'UP', minutesAgo(T0, 30)),
    ]);
    const failback = plan(back);
    expect(failback.decision).toBe('failback');
    expect(failback.actions).toEqual(
      PREFIXES.map((destination) => ({
        type: 'tgw-route-absent',
        routeTableId: TABLE,
        destination,
        previousAttachmentId: ATTACH_STATIC,
      })),
    );
    const done = applyModel(back, failback.actions, site('gimpo-dc'));
    expect(done.tgwRouteTables[TABLE]?.routes.every((r) => r.type === 'propagated')).toBe(true);
    expect(plan(done).actions).toEqual([]);
  });
});
