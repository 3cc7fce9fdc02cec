import { describe, expect, it } from 'vitest';
import type { DrillRequest } from '../../lib/domain/signal.js';
import { decide } from '../../lib/policy/decide.js';
import { planTunnelReplacement, simulateDrill } from '../../lib/policy/drill.js';
import {
  minutesAgo,
  policyOf,
  site,
  steadySnapshot,
  T0,
  tunnel,
  withTunnels,
  withUnreadable,
} from './builders.js';

/** busan-dc's primary is a BGP VPN on a VGW (vpn-…60003). */
const BGP_SITE = 'busan-dc';

const replace = (tunnelIp: string, extra: Partial<DrillRequest> = {}): DrillRequest => ({
  site: 'seoul-dc',
  scenario: 'replace-tunnel',
  mode: 'live',
  confirm: 'seoul-dc',
  tunnelIp,
  trafficProbe: { tunnelIp: '198.51.100.11', passedAt: minutesAgo(T0, 2) },
  ...extra,
});

describe('the replace-tunnel drill trusts only a tunnel known to carry the traffic', () => {
  it('refuses without evidence that the other tunnel passes traffic: UP may be a gray failure', () => {
    const { trafficProbe: _, ...request } = replace('198.51.100.10');
    const plan = planTunnelReplacement(site('seoul-dc'), steadySnapshot(), request, 'enabled', T0);
    expect(plan.actions).toEqual([]);
    expect(plan.findings[0]).toMatchObject({ code: 'telemetry-missing', severity: 'major' });
    expect(plan.findings[0]?.message).toContain('nothing shows that 198.51.100.11 passes traffic');
  });

  it.each([
    [
      'through the tunnel being replaced',
      { tunnelIp: '198.51.100.10', passedAt: minutesAgo(T0, 1) },
      'it went through 198.51.100.10',
    ],
    ['too old', { tunnelIp: '198.51.100.11', passedAt: minutesAgo(T0, 11) }, 'older than 10 minutes'],
    ['in the future', { tunnelIp: '198.51.100.11', passedAt: minutesAgo(T0, -1) }, 'in the future'],
  ])('refuses a probe %s', (_what, trafficProbe, why) => {
    const plan = planTunnelReplacement(
      site('seoul-dc'),
      steadySnapshot(),
      replace('198.51.100.10', { trafficProbe }),
      'enabled',
      T0,
    );
    expect(plan.actions).toEqual([]);
    expect(plan.findings[0]?.message).toContain(why);
  });

  it('refuses a probe taken before the other tunnel last changed status', () => {
    const snapshot = withTunnels(steadySnapshot(), 'vpn-0a1b2c3d4e5f60001', [
      tunnel('198.51.100.10', 'UP', minutesAgo(T0, 60)),
      tunnel('198.51.100.11', 'UP', minutesAgo(T0, 1)),
    ]);
    const plan = planTunnelReplacement(site('seoul-dc'), snapshot, replace('198.51.100.10'), 'enabled', T0);
    expect(plan.actions).toEqual([]);
    expect(plan.findings[0]?.message).toContain('changed status at');
  });

  it('refuses when the other tunnel of a BGP VPN is UP with 0 accepted routes (IPsec up, BGP down)', () => {
    const vpnId = 'vpn-0a1b2c3d4e5f60003';
    const snapshot = withTunnels(steadySnapshot(), vpnId, [
      tunnel('198.51.100.30', 'UP', minutesAgo(T0, 60)),
      { ...tunnel('198.51.100.31', 'UP', minutesAgo(T0, 60), 0), statusMessage: '0 BGP ROUTES' },
    ]);
    const request = replace('198.51.100.30', {
      site: BGP_SITE,
      confirm: BGP_SITE,
      trafficProbe: { tunnelIp: '198.51.100.31', passedAt: minutesAgo(T0, 1) },
    });
    const plan = planTunnelReplacement(site(BGP_SITE), snapshot, request, 'enabled', T0);
    expect(plan.actions).toEqual([]);
    expect(plan.findings[0]?.message).toContain('0 accepted routes');
  });

  it('refuses when whether the VPN is BGP cannot be read', () => {
    const real = withUnreadable(
      steadySnapshot(),
      'vpn-0a1b2c3d4e5f60001',
      [tunnel('198.51.100.10', 'UP', minutesAgo(T0, 60)), tunnel('198.51.100.11', 'UP', minutesAgo(T0, 60))],
      [{ field: 'Options.StaticRoutesOnly', problem: 'missing', affects: 'routing' }],
    );
    const plan = planTunnelReplacement(site('seoul-dc'), real, replace('198.51.100.10'), 'enabled', T0);
    expect(plan.actions).toEqual([]);
    expect(plan.findings[0]?.message).toContain('uses BGP is unknown');
  });

  it('asks AWS to apply pending maintenance with the replacement when the drill says so', () => {
    const plan = planTunnelReplacement(
      site('seoul-dc'),
      steadySnapshot(),
      replace('198.51.100.10', { applyPendingMaintenance: true }),
      'enabled',
      T0,
    );
    expect(plan.actions).toEqual([
      {
        type: 'tunnel-replacement',
        vpnId: 'vpn-0a1b2c3d4e5f60001',
        outsideIp: '198.51.100.10',
        applyPendingMaintenance: true,
      },
    ]);
  });
});

describe('drills', () => {
  it('replaces a tunnel while the other tunnel of the connection carries the traffic', () => {
    const plan = planTunnelReplacement(
      site('seoul-dc'),
      steadySnapshot(),
      replace('198.51.100.10'),
      'enabled',
      T0,
    );
    expect(plan.actions).toEqual([
      { type: 'tunnel-replacement', vpnId: 'vpn-0a1b2c3d4e5f60001', outsideIp: '198.51.100.10' },
    ]);
  });

  it('refuses to replace the last tunnel that is UP', () => {
    const snapshot = withTunnels(steadySnapshot(), 'vpn-0a1b2c3d4e5f60001', [
      tunnel('198.51.100.10', 'UP', minutesAgo(T0, 60)),
      tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 1)),
    ]);
    const plan = planTunnelReplacement(site('seoul-dc'), snapshot, replace('198.51.100.10'), 'enabled', T0);
    expect(plan.actions).toEqual([]);
    expect(plan.findings[0]?.message).toContain('no other tunnel of vpn-0a1b2c3d4e5f60001 is UP');
  });

  it('refuses a tunnel that belongs to no VPN of the site', () => {
    const plan = planTunnelReplacement(
      site('seoul-dc'),
      steadySnapshot(),
      replace('198.51.100.30'),
      'enabled',
      T0,
    );
    expect(plan.actions).toEqual([]);
    expect(plan.findings[0]?.message).toContain('is not a tunnel of any VPN of seoul-dc');
  });

  it('a connection-down drill lays the outage over the real snapshot, leaving it untouched', () => {
    const real = steadySnapshot();
    const drilled = simulateDrill(
      real,
      site('seoul-dc'),
      { site: 'seoul-dc', scenario: 'connection-down', mode: 'dry-run' },
      'primary',
    );
    expect(drilled.vpnConnections['vpn-0a1b2c3d4e5f60001']?.tunnels.map((t) => t.status)).toEqual([
      'DOWN',
      'DOWN',
    ]);
    expect(real.vpnConnections['vpn-0a1b2c3d4e5f60001']?.tunnels.map((t) => t.status)).toEqual(['UP', 'UP']);
  });

  it('a tunnel-down drill takes down only the named tunnel', () => {
    const drilled = simulateDrill(
      steadySnapshot(),
      site('seoul-dc'),
      { site: 'seoul-dc', scenario: 'tunnel-down', mode: 'dry-run', tunnelIp: '198.51.100.11' },
      'primary',
    );
    expect(drilled.vpnConnections['vpn-0a1b2c3d4e5f60001']?.tunnels.map((t) => t.status)).toEqual([
      'UP',
      'DOWN',
    ]);
  });

  it('a connection-down drill states the outage even where some tunnel telemetry was unreadable', () => {
    const real = withUnreadable(
      steadySnapshot(),
      'vpn-0a1b2c3d4e5f60001',
      [tunnel('198.51.100.10', 'UP', minutesAgo(T0, 60))],
      [
        { field: 'VgwTelemetry[198.51.100.11].Status', problem: 'missing', affects: 'health' },
        { field: 'Options.StaticRoutesOnly', problem: 'missing', affects: 'routing' },
      ],
    );
    const drilled = simulateDrill(
      real,
      site('seoul-dc'),
      { site: 'seoul-dc', scenario: 'connection-down', mode: 'dry-run' },
      'primary',
    );
    expect(drilled.vpnConnections['vpn-0a1b2c3d4e5f60001']?.unreadable).toEqual([
      { field: 'Options.StaticRoutesOnly', problem: 'missing', affects: 'routing' },
    ]);
    const plan = decide({
      site: site('seoul-dc'),
      policy: policyOf('seoul-dc'),
      snapshot: drilled,
      history: { transitions: [] },
      mode: 'dry-run',
      now: T0,
    });
    expect(plan).toMatchObject({ decision: 'failover', desiredPath: 'backup' });
  });
});
