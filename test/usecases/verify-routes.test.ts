import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/domain/signal.js';
import type { Snapshot, TgwRoute } from '../../lib/domain/snapshot.js';
import { parseAlarmEvent } from '../../lib/events/parse.js';
import { remediate } from '../../lib/usecases/remediate.js';
import { loadEvent } from '../helpers/fixtures.js';
import { minutesAgo, steadySnapshot, T0, tunnel, withTunnels } from '../policy/builders.js';
import { deps, ModelEc2 } from './fakes.js';

const TABLE = 'tgw-rtb-0a1b2c3d4e5f60001';

function signal(outcome: ReturnType<typeof parseAlarmEvent>): Signal {
  if (outcome.type !== 'signal') throw new Error(outcome.reason);
  return outcome.signal;
}
const alarm = () => signal(parseAlarmEvent(loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json')));

/** seoul-dc's primary is down; `extra` routes join its TGW table. */
function seoulPrimaryDown(extra: TgwRoute[] = []): Snapshot {
  const down = withTunnels(steadySnapshot(), 'vpn-0a1b2c3d4e5f60001', [
    tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 3)),
    tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 3)),
  ]);
  const table = down.tgwRouteTables[TABLE];
  if (table === undefined) throw new Error('no table');
  return {
    ...down,
    tgwRouteTables: { ...down.tgwRouteTables, [TABLE]: { ...table, routes: [...table.routes, ...extra] } },
  };
}

const findingsOf = (report: Awaited<ReturnType<typeof remediate>>) => {
  const s = report.sites[0];
  return s !== undefined && 'plan' in s ? s.plan.findings : [];
};

describe('after applying, the effective route for the probe address is verified (longest prefix)', () => {
  it('records a mismatch when a more-specific route keeps the probe address on the dead primary', async () => {
    // 10.3.0.0/24 (holding the default probe address 10.3.0.1) still goes to the primary's attachment.
    const shadow: TgwRoute = {
      destination: '10.3.0.0/24',
      attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
      type: 'static',
      state: 'active',
    };
    const ec2 = new ModelEc2(seoulPrimaryDown([shadow]));
    const report = await remediate(alarm(), deps(ec2));
    expect(report.sites[0]).toMatchObject({ status: 'applied' });
    expect(findingsOf(report)).toContainEqual({
      code: 'effective-route-mismatch',
      severity: 'major',
      path: 'backup',
      message: `after applying, ${TABLE} routes 10.3.0.1 by 10.3.0.0/24 to tgw-attach-0a1b2c3d4e5f60001, not to backup (tgw-attach-0a1b2c3d4e5f60002): longest prefix decides (nothing changed for it)`,
    });
    // Verification reads only: the one write is the planned failover.
    expect(ec2.applied.map((a) => a.type)).toEqual(['tgw-route']);
  });

  it('records nothing when the probe address is carried by the desired path', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const report = await remediate(alarm(), deps(ec2));
    expect(findingsOf(report).map((f) => f.code)).not.toContain('effective-route-mismatch');
  });

  it('says the check could not be made when the read-back fails, and the run still counts as applied', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const routes = ec2.routes.bind(ec2);
    let reads = 0;
    ec2.routes = async (scope) => {
      reads += 1;
      if (reads > 1) throw new Error('SearchTransitGatewayRoutes failed: RequestLimitExceeded');
      return routes(scope);
    };
    const report = await remediate(alarm(), deps(ec2));
    expect(report.sites[0]).toMatchObject({ status: 'applied' });
    expect(findingsOf(report)).toContainEqual(
      expect.objectContaining({
        code: 'effective-route-mismatch',
        severity: 'minor',
        message: expect.stringContaining('RequestLimitExceeded'),
      }),
    );
  });
});
