import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../lib/domain/snapshot.js';
import { decide } from '../../lib/policy/decide.js';
import {
  minutesAgo,
  policyOf,
  site,
  steadySnapshot,
  T0,
  TELEMETRY_MISSING,
  tunnel,
  withTunnels,
  withUnreadable,
} from './builders.js';
import { applyModel } from './model.js';

const SEOUL_PRIMARY = 'vpn-0a1b2c3d4e5f60001';
const SEOUL_BACKUP = 'vpn-0a1b2c3d4e5f60002';
const BUSAN_BGP = 'vpn-0a1b2c3d4e5f60003';
const BUSAN_STATIC = 'vpn-0a1b2c3d4e5f60004';

function plan(siteName: string, snapshot: Snapshot) {
  return decide({
    site: site(siteName),
    policy: policyOf(siteName),
    snapshot,
    history: { transitions: [] },
    mode: 'enabled',
    now: T0,
  });
}

const allDown = (snapshot: Snapshot, vpnId: string, ips: readonly string[], minutes = 1) =>
  withTunnels(
    snapshot,
    vpnId,
    ips.map((ip) => tunnel(ip, 'DOWN', minutesAgo(T0, minutes))),
  );

describe('decide: missing telemetry is unknown, not DOWN', () => {
  it('moves nothing off a primary that DescribeVpnConnections returned without VgwTelemetry', () => {
    const p = plan('seoul-dc', withUnreadable(steadySnapshot(), SEOUL_PRIMARY, [], [TELEMETRY_MISSING]));
    expect(p).toMatchObject({ decision: 'hold', activePath: 'primary', actions: [], deferred: [] });
    expect(p.paths[0]).toMatchObject({ name: 'primary', health: 'unknown' });
    expect(p.paths[0]?.reason).toContain('VgwTelemetry (missing)');
    expect(p.findings).toEqual([
      {
        code: 'telemetry-missing',
        severity: 'major',
        path: 'primary',
        vpnId: SEOUL_PRIMARY,
        fields: ['VgwTelemetry (missing)'],
        message: expect.stringContaining(`${SEOUL_PRIMARY}: VgwTelemetry (missing)`),
      },
    ]);
  });

  it('does not read one DOWN tunnel and one unreadable tunnel as "all tunnels DOWN"', () => {
    const snapshot = withUnreadable(
      steadySnapshot(),
      SEOUL_PRIMARY,
      [tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 2))],
      [{ field: 'VgwTelemetry[198.51.100.11].Status', problem: '"IMPAIRED"', affects: 'health' }],
    );
    const p = plan('seoul-dc', snapshot);
    expect(p.paths[0]?.health).toBe('unknown');
    expect(p.actions).toEqual([]);
    expect(p.findings.map((f) => f.code)).toEqual(['telemetry-missing']);
  });

  // Issue 11 item 2: leaving a dead path for one of unknown health is allowed, and flagged; the site
  // still counts as unreachable (no-healthy-path), since nobody can say the traffic arrives.
  it('leaves a dead primary for a backup whose health is unknown only flagged, and still no-healthy-path', () => {
    const primaryDown = allDown(steadySnapshot(), SEOUL_PRIMARY, ['198.51.100.10', '198.51.100.11']);
    const p = plan('seoul-dc', withUnreadable(primaryDown, SEOUL_BACKUP, [], [TELEMETRY_MISSING]));
    expect(p).toMatchObject({ decision: 'no-healthy-path', desiredPath: 'backup' });
    expect(p.actions).toEqual([
      expect.objectContaining({ type: 'tgw-route', attachmentId: 'tgw-attach-0a1b2c3d4e5f60002' }),
    ]);
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'no-healthy-path',
        severity: 'critical',
        message: expect.stringContaining('no path is known healthy (down: primary; unknown: backup)'),
      }),
    );
    expect(p.findings).toContainEqual(
      expect.objectContaining({ code: 'unverified-path', path: 'backup', severity: 'major' }),
    );
    expect(p.findings).toContainEqual(
      expect.objectContaining({ code: 'telemetry-missing', path: 'backup', severity: 'minor' }),
    );
  });

  it('stays on a backup of unknown health with nothing known healthy, and says the site may be unreachable', () => {
    const primaryDown = allDown(steadySnapshot(), SEOUL_PRIMARY, ['198.51.100.10', '198.51.100.11']);
    const blind = withUnreadable(primaryDown, SEOUL_BACKUP, [], [TELEMETRY_MISSING]);
    const onBackup = applyModel(blind, plan('seoul-dc', blind).actions, site('seoul-dc'));
    const p = plan('seoul-dc', onBackup);
    expect(p).toMatchObject({ decision: 'no-healthy-path', activePath: 'backup', actions: [] });
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'no-healthy-path',
        message: 'no path is known healthy (unknown: backup): routes left as they are',
      }),
    );
  });

  it('skips a path of unknown health and fails over to the next known healthy one', () => {
    let snapshot = allDown(steadySnapshot(), BUSAN_BGP, ['198.51.100.30', '198.51.100.31']);
    snapshot = withUnreadable(snapshot, BUSAN_STATIC, [], [TELEMETRY_MISSING]);
    const p = plan('busan-dc', snapshot);
    expect(p).toMatchObject({ decision: 'failover', desiredPath: 'tgw-backup' });
    expect(p.actions.length).toBeGreaterThan(0);
  });

  it('does not fail back to a primary whose telemetry is missing, however long ago it recovered', () => {
    const failed = allDown(steadySnapshot(), SEOUL_PRIMARY, ['198.51.100.10', '198.51.100.11'], 90);
    const onBackup = applyModel(failed, plan('seoul-dc', failed).actions, site('seoul-dc'));
    const p = plan('seoul-dc', withUnreadable(onBackup, SEOUL_PRIMARY, [], [TELEMETRY_MISSING]));
    expect(p).toMatchObject({ decision: 'steady', activePath: 'backup', actions: [] });
  });

  it('fails back to a primary verified healthy past its hold-down, whatever the backup telemetry says', () => {
    const failed = allDown(steadySnapshot(), SEOUL_PRIMARY, ['198.51.100.10', '198.51.100.11'], 90);
    let onBackup = applyModel(failed, plan('seoul-dc', failed).actions, site('seoul-dc'));
    onBackup = withTunnels(onBackup, SEOUL_PRIMARY, [
      tunnel('198.51.100.10', 'UP', minutesAgo(T0, 30)),
      tunnel('198.51.100.11', 'UP', minutesAgo(T0, 30)),
    ]);
    const p = plan('seoul-dc', withUnreadable(onBackup, SEOUL_BACKUP, [], [TELEMETRY_MISSING]));
    expect(p).toMatchObject({ decision: 'failback', activePath: 'backup', desiredPath: 'primary' });
    expect(p.actions).toHaveLength(1);
  });

  it('leaves routes on a path of unknown health while repairing the routes that carry nothing', () => {
    // BGP primary down; table A overridden to the static secondary (telemetry missing), table B empty.
    let snapshot = allDown(steadySnapshot(), BUSAN_BGP, ['198.51.100.30', '198.51.100.31']);
    snapshot = withUnreadable(snapshot, BUSAN_STATIC, [], [TELEMETRY_MISSING]);
    const tableA = snapshot.vpcRouteTables['rtb-0a1b2c3d4e5f60001'];
    if (tableA === undefined) throw new Error('fixture');
    const overrides = site('busan-dc').prefixes.map((destination) => ({
      destination,
      target: { kind: 'network-interface', id: 'eni-0a1b2c3d4e5f60001' },
      origin: 'CreateRoute',
      state: 'active',
    })) satisfies Snapshot['vpcRouteTables'][string]['routes'];
    snapshot = {
      ...snapshot,
      vpcRouteTables: {
        ...snapshot.vpcRouteTables,
        [tableA.routeTableId]: { ...tableA, routes: [...tableA.routes, ...overrides] },
      },
    };
    const p = plan('busan-dc', snapshot);
    expect(p.desiredPath).toBe('tgw-backup');
    expect(p.actions.map((a) => ('routeTableId' in a ? a.routeTableId : ''))).toEqual([
      'rtb-0a1b2c3d4e5f60002',
      'rtb-0a1b2c3d4e5f60002',
    ]);
    expect(p.findings).toContainEqual(
      expect.objectContaining({
        code: 'telemetry-missing',
        message: '2 route(s) left on a path of unknown health instead of moving to tgw-backup',
      }),
    );
  });

  it('judges a path with one tunnel UP as healthy when the other is unreadable, and says so', () => {
    const snapshot = withUnreadable(
      steadySnapshot(),
      SEOUL_PRIMARY,
      [tunnel('198.51.100.10', 'UP', minutesAgo(T0, 60))],
      [{ field: 'VgwTelemetry[198.51.100.11]', problem: 'missing', affects: 'health' }],
    );
    const p = plan('seoul-dc', snapshot);
    expect(p).toMatchObject({ decision: 'steady', actions: [] });
    expect(p.paths[0]).toMatchObject({ health: 'healthy' });
    expect(p.findings).toEqual([
      expect.objectContaining({ code: 'telemetry-missing', severity: 'minor', path: 'primary' }),
    ]);
  });

  it('reports missing Options as an info finding and changes nothing', () => {
    const vpn = steadySnapshot().vpnConnections[SEOUL_BACKUP];
    if (vpn === undefined) throw new Error('fixture');
    const p = plan(
      'seoul-dc',
      withUnreadable(
        steadySnapshot(),
        SEOUL_BACKUP,
        [...vpn.tunnels],
        [{ field: 'Options.StaticRoutesOnly', problem: 'missing', affects: 'routing' }],
      ),
    );
    expect(p).toMatchObject({ decision: 'steady', actions: [] });
    expect(p.findings).toEqual([
      expect.objectContaining({
        code: 'telemetry-missing',
        severity: 'info',
        vpnId: SEOUL_BACKUP,
        fields: ['Options.StaticRoutesOnly (missing)'],
      }),
    ]);
  });
});
