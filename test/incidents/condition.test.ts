import { describe, expect, it } from 'vitest';
import { siteCondition } from '../../lib/incidents/condition.js';
import type { Plan } from '../../lib/policy/plan.js';

const failback: Plan = {
  site: 'seoul-dc',
  decidedAt: '2026-03-02T10:15:00.000Z',
  mode: 'enabled',
  decision: 'failback',
  paths: [],
  activePath: 'backup',
  desiredPath: 'primary',
  actions: [
    {
      type: 'tgw-route',
      routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
      destination: '10.3.0.0/20',
      attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
    },
  ],
  deferred: [],
  findings: [{ code: 'failback', severity: 'info', message: 'failback from backup to primary' }],
};

describe('site condition', () => {
  it('is healthy after a failback that landed', () => {
    expect(siteCondition(failback, 'primary', true)).toEqual({
      healthy: true,
      summary: 'on primary with every tunnel UP',
    });
  });

  it('is still not on the primary when the failback only was planned (dry-run) or did not land', () => {
    expect(siteCondition({ ...failback, mode: 'dry-run' }, 'primary', false)).toMatchObject({
      healthy: false,
      kind: 'connection-down',
      severity: 'minor',
    });
  });

  it('no healthy path is critical and unreachable', () => {
    expect(
      siteCondition(
        {
          ...failback,
          decision: 'no-healthy-path',
          findings: [{ code: 'no-healthy-path', severity: 'critical', message: 'no path is healthy' }],
        },
        'primary',
        false,
      ),
    ).toMatchObject({
      kind: 'site-unreachable',
      severity: 'critical',
    });
  });
});

describe('site condition when telemetry is missing', () => {
  const onPrimary: Plan = {
    ...failback,
    decision: 'hold',
    activePath: 'primary',
    desiredPath: 'primary',
    actions: [],
  };
  const missing = (severity: 'major' | 'info') => ({
    code: 'telemetry-missing' as const,
    severity,
    path: 'primary',
    vpnId: 'vpn-0a1b2c3d4e5f60001',
    fields: ['VgwTelemetry (missing)'],
    message:
      'DescribeVpnConnections vpn-0a1b2c3d4e5f60001: VgwTelemetry (missing); the health of primary is unknown',
  });

  it('is not healthy while a path cannot be vouched for, and says what is missing', () => {
    expect(siteCondition({ ...onPrimary, findings: [missing('major')] }, 'primary', true)).toEqual({
      healthy: false,
      kind: 'redundancy-lost',
      severity: 'minor',
      summary: expect.stringContaining('VgwTelemetry (missing)'),
      path: 'primary',
    });
  });

  it('stays healthy when only the routing options are missing', () => {
    expect(siteCondition({ ...onPrimary, findings: [missing('info')] }, 'primary', true)).toMatchObject({
      healthy: true,
    });
  });
});

describe('the path a site condition is on', () => {
  const plan = (findings: Plan['findings'], activePath = 'primary'): Plan => ({
    ...failback,
    decision: 'steady',
    activePath,
    desiredPath: activePath,
    actions: [],
    findings,
  });

  it('is the path of the finding that decides the condition', () => {
    expect(
      siteCondition(
        plan([
          { code: 'path-down', severity: 'major', path: 'backup', message: 'backup: all 2 tunnels DOWN' },
          { code: 'redundancy-lost', severity: 'minor', path: 'primary', message: 'one tunnel' },
        ]),
        'primary',
        true,
      ),
    ).toMatchObject({ kind: 'connection-down', path: 'backup' });
    expect(
      siteCondition(
        plan([{ code: 'redundancy-lost', severity: 'minor', path: 'backup', message: '1 of 2 tunnels UP' }]),
        'primary',
        true,
      ),
    ).toMatchObject({ kind: 'redundancy-lost', path: 'backup' });
  });

  it('is the primary while traffic is elsewhere, and absent when the whole site is unreachable', () => {
    expect(siteCondition(plan([], 'backup'), 'primary', true)).toMatchObject({
      kind: 'connection-down',
      path: 'primary',
    });
    const unreachable = siteCondition(
      {
        ...plan([{ code: 'no-healthy-path', severity: 'critical', message: 'no path' }]),
        decision: 'no-healthy-path',
      },
      'primary',
      false,
    );
    expect(unreachable).toMatchObject({ kind: 'site-unreachable' });
    expect('path' in unreachable).toBe(false);
  });
});
