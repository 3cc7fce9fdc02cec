import { describe, expect, it } from 'vitest';
import type { ActionResult } from '../../lib/domain/apply-result.js';
import type { Plan } from '../../lib/policy/plan.js';
import { checkScope, effectiveRouteFindings, routeChecks } from '../../lib/policy/verify-effective.js';
import { site, T0 } from './builders.js';

// busan-dc: 10.4.0.0/20 and 10.4.16.0/24; the default probe address is 10.4.0.1.
const busan = site('busan-dc');
const plan: Plan = {
  site: 'busan-dc',
  decidedAt: new Date(T0).toISOString(),
  mode: 'enabled',
  decision: 'failover',
  paths: [],
  activePath: 'bgp-primary',
  desiredPath: 'tgw-backup',
  actions: [],
  deferred: [],
  findings: [],
};
const TGW = 'tgw-0a1b2c3d4e5f60001';
const moved = (
  routeTableId: string,
  destination: string,
  outcome: ActionResult['outcome'],
): ActionResult => ({
  action: {
    type: 'vpc-static-route',
    routeTableId,
    destination,
    target: { kind: 'transit-gateway', id: TGW },
  },
  outcome,
  calls: [],
  detail: '',
});

describe('routeChecks: what is read back after applying', () => {
  it('checks the probe address where the moved prefix holds it, else that prefix’s first host; not failed or skipped moves', () => {
    const checks = routeChecks(busan, plan, [
      moved('rtb-0a1b2c3d4e5f60001', '10.4.0.0/20', 'changed'),
      moved('rtb-0a1b2c3d4e5f60001', '10.4.16.0/24', 'already-so'),
      moved('rtb-0a1b2c3d4e5f60002', '10.4.0.0/20', 'failed'),
      moved('rtb-0a1b2c3d4e5f60002', '10.4.16.0/24', 'skipped'),
    ]);
    expect(checks).toEqual([
      {
        kind: 'vpc',
        routeTableId: 'rtb-0a1b2c3d4e5f60001',
        address: '10.4.0.1',
        expected: TGW,
        path: 'tgw-backup',
      },
      {
        kind: 'vpc',
        routeTableId: 'rtb-0a1b2c3d4e5f60001',
        address: '10.4.16.1',
        expected: TGW,
        path: 'tgw-backup',
      },
    ]);
    expect(checkScope(checks)).toEqual({ vpcRouteTableIds: ['rtb-0a1b2c3d4e5f60001'], tgwRouteTables: [] });
  });

  it('checks nothing without a desired path', () => {
    const { desiredPath: _, ...none } = plan;
    expect(routeChecks(busan, none, [moved('rtb-0a1b2c3d4e5f60001', '10.4.0.0/20', 'changed')])).toEqual([]);
  });

  it('names a table that could not be read back', () => {
    const checks = routeChecks(busan, plan, [moved('rtb-0a1b2c3d4e5f60001', '10.4.0.0/20', 'changed')]);
    const findings = effectiveRouteFindings(checks, { vpcRouteTables: {}, tgwRouteTables: {} });
    expect(findings.map((f) => f.message)).toEqual([
      `after applying, rtb-0a1b2c3d4e5f60001 routes 10.4.0.1 to table not found, not to tgw-backup (${TGW}): longest prefix decides (nothing changed for it)`,
    ]);
  });
});
