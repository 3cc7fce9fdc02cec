import { describe, expect, it } from 'vitest';
import type { SitePolicy } from '../../lib/config/load.js';
import { parseConfig } from '../../lib/config/load.js';
import type { Snapshot } from '../../lib/domain/snapshot.js';
import { decide } from '../../lib/policy/decide.js';
import { minutesAgo, policyOf, site, steadySnapshot, T0, tunnel, withTunnels } from './builders.js';
import { applyModel } from './model.js';

const BUSAN_BGP = 'vpn-0a1b2c3d4e5f60003';
const SEOUL_PRIMARY = 'vpn-0a1b2c3d4e5f60001';

const FOLLOW: SitePolicy['failback'] = {
  policy: 'follow-return-path',
  dampingMs: 60_000,
  maxAsymmetryMs: 6 * 60_000,
};

function plan(name: string, snapshot: Snapshot, failback?: SitePolicy['failback']) {
  const policy = { ...policyOf(name), ...(failback === undefined ? {} : { failback }) };
  return decide({
    site: site(name),
    policy,
    snapshot,
    history: { transitions: [] },
    mode: 'enabled',
    now: T0,
  });
}

/** busan-dc on its static secondary after BGP went down, its BGP primary back (UP, routes accepted) `minutes` ago. */
function busanBack(minutes: number): Snapshot {
  const down = withTunnels(steadySnapshot(), BUSAN_BGP, [
    tunnel('198.51.100.30', 'DOWN', minutesAgo(T0, 30)),
    tunnel('198.51.100.31', 'DOWN', minutesAgo(T0, 30)),
  ]);
  const moved = applyModel(down, plan('busan-dc', down).actions, site('busan-dc'));
  const since = new Date(T0 - minutes * 60_000).toISOString();
  return withTunnels(moved, BUSAN_BGP, [
    tunnel('198.51.100.30', 'UP', since),
    tunnel('198.51.100.31', 'UP', since),
  ]);
}

/** seoul-dc (static primary) on its backup, the primary back `minutes` ago. */
function seoulBack(minutes: number): Snapshot {
  const down = withTunnels(steadySnapshot(), SEOUL_PRIMARY, [
    tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 30)),
    tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 30)),
  ]);
  const moved = applyModel(down, plan('seoul-dc', down).actions, site('seoul-dc'));
  const since = new Date(T0 - minutes * 60_000).toISOString();
  return withTunnels(moved, SEOUL_PRIMARY, [
    tunnel('198.51.100.10', 'UP', since),
    tunnel('198.51.100.11', 'UP', since),
  ]);
}

describe('failback policies', () => {
  it('hold-down (the default) keeps a BGP primary off for the hold-down, though on-prem returns over it', () => {
    const p = plan('busan-dc', busanBack(2));
    expect(p).toMatchObject({ decision: 'hold', activePath: 'static-secondary' });
    expect(p.findings).toContainEqual(
      expect.objectContaining({ code: 'failback-pending', path: 'bgp-primary' }),
    );
  });

  it('follow-return-path fails a BGP primary back once BGP has been established for the damping time', () => {
    const p = plan('busan-dc', busanBack(2), FOLLOW);
    expect(p).toMatchObject({
      decision: 'failback',
      activePath: 'static-secondary',
      desiredPath: 'bgp-primary',
    });
    expect(p.actions.map((a) => a.type)).toEqual(Array(4).fill('vpc-static-route-absent'));
  });

  it('follow-return-path still waits out the damping time', () => {
    const since = new Date(T0 - 30_000).toISOString();
    const young = withTunnels(busanBack(2), BUSAN_BGP, [
      tunnel('198.51.100.30', 'UP', since),
      tunnel('198.51.100.31', 'UP', since),
    ]);
    expect(plan('busan-dc', young, FOLLOW)).toMatchObject({ decision: 'hold', actions: [] });
  });

  it('follow-return-path never shortens the wait for a primary whose BGP has no accepted routes', () => {
    const since = minutesAgo(T0, 2);
    const noRoutes = withTunnels(busanBack(2), BUSAN_BGP, [
      tunnel('198.51.100.30', 'UP', since, 0),
      tunnel('198.51.100.31', 'UP', since, 0),
    ]);
    expect(plan('busan-dc', noRoutes, FOLLOW).decision).not.toBe('failback');
  });

  it('follow-return-path leaves a static primary on the hold-down: its return path is the customer static config', () => {
    expect(plan('seoul-dc', seoulBack(2), FOLLOW)).toMatchObject({ decision: 'hold', actions: [] });
    expect(plan('seoul-dc', seoulBack(11), FOLLOW)).toMatchObject({ decision: 'failback' });
  });
});

describe('the asymmetry bound', () => {
  it('reports an asymmetric window past maxAsymmetry as major, naming the return path', () => {
    const p = plan('busan-dc', busanBack(7));
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'asymmetric-routing',
        severity: 'major',
        path: 'bgp-primary',
        message: expect.stringContaining('over the 360 s bound'),
      }),
    );
  });

  it('reports nothing inside the bound, nor for a static primary whose return path AWS cannot see', () => {
    expect(plan('busan-dc', busanBack(5)).findings.map((f) => f.code)).not.toContain('asymmetric-routing');
    expect(plan('seoul-dc', seoulBack(9)).findings.map((f) => f.code)).not.toContain('asymmetric-routing');
  });

  it('uses the site bound: a tighter one is crossed sooner', () => {
    const tight = { ...FOLLOW, policy: 'hold-down' as const, maxAsymmetryMs: 3 * 60_000 };
    expect(plan('busan-dc', busanBack(4), tight).findings.map((f) => f.code)).toContain('asymmetric-routing');
  });
});

describe('failback configuration', () => {
  const yaml = (failback: string) => `
version: 1
sites:
  - name: busan-dc
    prefixes: [10.4.0.0/20]
    routeTables: { vpc: [rtb-0a1b2c3d4e5f60001] }
    policy: { failback: ${failback} }
    paths:
      - { name: bgp-primary, vpn: vpn-0a1b2c3d4e5f60003, vpcTarget: vgw-0a1b2c3d4e5f60001 }
      - { name: backup, vpcTarget: tgw-0a1b2c3d4e5f60001 }
`;

  it('parses follow-return-path with its documented defaults', () => {
    const config = parseConfig(yaml('{ policy: follow-return-path }'), 'x.yml');
    expect(config.sites[0]?.policy.failback).toEqual({
      policy: 'follow-return-path',
      damping: 60_000,
      maxAsymmetry: 6 * 60_000,
    });
  });

  it('refuses a bound the policy cannot keep, naming the field', () => {
    expect(() => parseConfig(yaml('{ policy: follow-return-path, maxAsymmetry: 2m }'), 'x.yml')).toThrow(
      /sites\.0\.policy\.failback\.maxAsymmetry.*at least 6m|maxAsymmetry/,
    );
    expect(() => parseConfig(yaml('{ policy: follow-bgp }'), 'x.yml')).toThrow(/failback\.policy/);
  });
});
