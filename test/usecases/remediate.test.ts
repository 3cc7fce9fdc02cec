import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/domain/signal.js';
import {
  parseAlarmEvent,
  parseDrillInput,
  parseHealthEvent,
  parseScheduleEvent,
} from '../../lib/events/parse.js';
import { InMemoryHistoryStore } from '../../lib/store/history.js';
import { InMemorySiteLock } from '../../lib/store/site-lock.js';
import { UnknownSiteError } from '../../lib/usecases/errors.js';
import { incompleteSites, remediate } from '../../lib/usecases/remediate.js';
import { loadEvent } from '../helpers/fixtures.js';
import { minutesAgo, steadySnapshot, T0, tunnel, withTunnels } from '../policy/builders.js';
import { deps, fixedMode, ModelEc2 } from './fakes.js';

function signal(outcome: ReturnType<typeof parseAlarmEvent>): Signal {
  if (outcome.type !== 'signal') throw new Error(outcome.reason);
  return outcome.signal;
}

const alarm = (name: string) => signal(parseAlarmEvent(loadEvent(`aws.cloudwatch/${name}`)));
const seoulPrimaryDown = () =>
  withTunnels(steadySnapshot(), 'vpn-0a1b2c3d4e5f60001', [
    tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 3)),
    tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 3)),
  ]);
const invocation = {
  requestId: 'req-9',
  account: '111122223333',
  region: 'us-east-1',
  now: new Date(T0).toISOString(),
};

describe('remediate: observe → decide → apply', () => {
  it('fails seoul-dc over to the backup attachment on an all-tunnels-down alarm, with the lower-bound API calls', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const report = await remediate(alarm('alarm-vpn-all-tunnels-down.json'), deps(ec2));
    expect(report.sites).toEqual([expect.objectContaining({ site: 'seoul-dc', status: 'applied' })]);
    // One snapshot (VPNs + the site's TGW table), one call per route that must change, then one
    // read-back of the effective route for the site's probe address (longest prefix).
    expect(ec2.calls).toEqual([
      'DescribeVpnConnections',
      'SearchTransitGatewayRoutes',
      'tgw-route',
      'SearchTransitGatewayRoutes',
    ]);
    expect(ec2.state.tgwRouteTables['tgw-rtb-0a1b2c3d4e5f60001']?.routes).toContainEqual(
      expect.objectContaining({ destination: '10.3.0.0/20', attachmentId: 'tgw-attach-0a1b2c3d4e5f60002' }),
    );
  });

  it('changes nothing on a stale alarm whose snapshot shows the tunnels UP', async () => {
    const ec2 = new ModelEc2(steadySnapshot());
    const report = await remediate(alarm('alarm-vpn-all-tunnels-down.json'), deps(ec2));
    expect(report.sites).toEqual([
      expect.objectContaining({
        status: 'planned',
        plan: expect.objectContaining({ decision: 'steady', actions: [] }),
      }),
    ]);
    expect(ec2.applied).toEqual([]);
  });

  it('maps an alarm that names only a tunnel IP to its VPN and site, then observes the site afresh', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const report = await remediate(alarm('alarm-tunnel-ip-down.json'), deps(ec2));
    expect(report.sites.map((s) => s.site)).toEqual(['seoul-dc']);
    expect(report.unmanaged).toEqual([]);
    expect(ec2.calls.slice(0, 3)).toEqual([
      'DescribeVpnConnections',
      'DescribeVpnConnections',
      'SearchTransitGatewayRoutes',
    ]);
  });

  it('records targets that name no managed VPN and touches no route table', async () => {
    const ec2 = new ModelEc2(steadySnapshot());
    const event = loadEvent('aws.health/vpn-redundancy-loss.json');
    event.resources = ['vpn-0ffffffffffffffff'];
    (event.detail as { affectedEntities: { entityValue: string }[] }).affectedEntities = [
      { entityValue: 'vpn-0ffffffffffffffff' },
    ];
    const report = await remediate(signal(parseHealthEvent(event)), deps(ec2));
    expect(report.sites).toEqual([]);
    expect(report.unmanaged).toEqual([{ vpnId: 'vpn-0ffffffffffffffff', tunnelIps: [] }]);
    // The event names its VPN: no describe is needed to know it belongs to no site.
    expect(ec2.calls).toEqual([]);
  });

  it('plans without changing anything in dry-run mode', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const report = await remediate(
      alarm('alarm-vpn-all-tunnels-down.json'),
      deps(ec2, { mode: fixedMode('dry-run') }),
    );
    expect(report.sites).toEqual([
      expect.objectContaining({
        status: 'planned',
        plan: expect.objectContaining({ decision: 'failover', mode: 'dry-run' }),
      }),
    ]);
    expect(report.sites[0]).toMatchObject({
      plan: { actions: [expect.objectContaining({ type: 'tgw-route' })] },
    });
    expect(ec2.applied).toEqual([]);
  });

  it('makes no AWS call at all when disabled', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const report = await remediate(
      alarm('alarm-vpn-all-tunnels-down.json'),
      deps(ec2, { mode: fixedMode('disabled') }),
    );
    expect(report).toMatchObject({ sites: [], mode: { mode: 'disabled' } });
    expect(ec2.calls).toEqual([]);
  });

  it('leaves a site another invocation holds past the wait alone', async () => {
    const lock = new InMemorySiteLock();
    await lock.acquire('seoul-dc', 'someone-else', new Date(T0), 60_000);
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const report = await remediate(
      alarm('alarm-vpn-all-tunnels-down.json'),
      deps(ec2, { lock, lockWait: { timeoutMs: 50, pollMs: 10 } }),
    );
    expect(report.sites).toEqual([{ site: 'seoul-dc', status: 'locked' }]);
    expect(ec2.applied).toEqual([]);
  });

  it('two concurrent invocations for one site end in the same state as one', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const shared = { lock: new InMemorySiteLock(), history: new InMemoryHistoryStore() };
    const signalA = alarm('alarm-vpn-all-tunnels-down.json');
    const [a, b] = await Promise.all([
      remediate(signalA, deps(ec2, { ...shared, owner: 'a' })),
      remediate(signalA, deps(ec2, { ...shared, owner: 'b' })),
    ]);
    // The second waits for the first's lock, re-observes, and finds nothing left to do.
    expect([...a.sites, ...b.sites].map((s) => s.status).sort()).toEqual(['applied', 'planned']);
    expect([...a.sites, ...b.sites].flatMap((s) => ('plan' in s ? s.plan.actions : []))).toHaveLength(1);
    const again = await remediate(signalA, deps(ec2, shared));
    expect(again.sites[0]).toMatchObject({ status: 'planned', plan: { actions: [] } });
  });

  it('a site that fails does not cost the other sites their run', async () => {
    const ec2 = new ModelEc2(steadySnapshot());
    const broken: typeof ec2 = Object.assign(Object.create(ec2) as typeof ec2, {
      routes: async (scope: Parameters<typeof ec2.routes>[0]) => {
        // seoul-dc's table only: busan-dc searches a TGW table too, to see what its TGW backup leads to.
        if (scope.tgwRouteTables.some((t) => t.routeTableId === 'tgw-rtb-0a1b2c3d4e5f60001'))
          throw new Error('SearchTransitGatewayRoutes failed: InternalError');
        return ec2.routes(scope);
      },
    });
    const sweep = parseScheduleEvent(loadEvent('aws.events/scheduled-health-check.json'), 'sweep');
    if (sweep.type !== 'signal') throw new Error('fixture');
    const report = await remediate(sweep.signal, deps(broken));
    expect(report.sites).toEqual([
      { site: 'seoul-dc', status: 'failed', error: 'SearchTransitGatewayRoutes failed: InternalError' },
      expect.objectContaining({ site: 'busan-dc', status: 'planned' }),
    ]);
    expect(incompleteSites(report)).toEqual(['seoul-dc']);
  });

  it('a site whose capped failback or repair left work deferred counts as incomplete', async () => {
    const sweep = parseScheduleEvent(loadEvent('aws.events/scheduled-health-check.json'), 'sweep');
    if (sweep.type !== 'signal') throw new Error('fixture');
    const report = await remediate(sweep.signal, deps(new ModelEc2(steadySnapshot())));
    expect(incompleteSites(report)).toEqual([]);
    const owed = {
      type: 'vgw-propagation',
      routeTableId: 'rtb-0a1b2c3d4e5f60001',
      gatewayId: 'vgw-0a1b2c3d4e5f60001',
    } as const;
    const sites = report.sites.map((s) =>
      s.site === 'busan-dc' && 'plan' in s
        ? { ...s, status: 'applied' as const, plan: { ...s.plan, deferred: [owed] } }
        : s,
    );
    expect(incompleteSites({ ...report, sites })).toEqual(['busan-dc']);
  });

  it('a sweep covers every site', async () => {
    const ec2 = new ModelEc2(steadySnapshot());
    const sweep = parseScheduleEvent(loadEvent('aws.events/scheduled-health-check.json'), 'sweep');
    if (sweep.type !== 'signal') throw new Error('fixture');
    const report = await remediate(sweep.signal, deps(ec2));
    expect(report.sites.map((s) => s.site)).toEqual(['seoul-dc', 'busan-dc']);
  });

  describe('drills', () => {
    it('a dry-run connection-down drill plans the failover against the real state and changes nothing', async () => {
      // The primary's tunnels really changed state 10 minutes ago, inside the flap window.
      const ec2 = new ModelEc2(
        withTunnels(steadySnapshot(), 'vpn-0a1b2c3d4e5f60001', [
          tunnel('198.51.100.10', 'UP', minutesAgo(T0, 10)),
          tunnel('198.51.100.11', 'UP', minutesAgo(T0, 10)),
        ]),
      );
      const history = new InMemoryHistoryStore();
      const drill = signal(parseDrillInput({ site: 'seoul-dc', scenario: 'connection-down' }, invocation));
      const report = await remediate(drill, deps(ec2, { history }));
      expect(report.sites).toEqual([
        expect.objectContaining({
          status: 'planned',
          plan: expect.objectContaining({ decision: 'failover', desiredPath: 'backup', mode: 'dry-run' }),
        }),
      ]);
      expect(ec2.applied).toEqual([]);
      // The simulated outage is not recorded as real tunnel transitions.
      const recorded = await history.recordAndLoad('seoul-dc', [], new Date(T0), 2 * 3_600_000);
      // The real tunnels' changes (10 minutes ago) are there; the drill's make-believe (now) is not.
      expect(recorded.transitions.map((t) => t.at)).toEqual(Array(2).fill(minutesAgo(T0, 10)));
    });

    it('a live drill acts only when the service is enabled', async () => {
      const live = signal(
        parseDrillInput(
          { site: 'seoul-dc', scenario: 'connection-down', mode: 'live', confirm: 'seoul-dc' },
          invocation,
        ),
      );
      const enabled = new ModelEc2(steadySnapshot());
      expect((await remediate(live, deps(enabled))).sites[0]).toMatchObject({ status: 'applied' });
      const dryRun = new ModelEc2(steadySnapshot());
      expect((await remediate(live, deps(dryRun, { mode: fixedMode('dry-run') }))).sites[0]).toMatchObject({
        status: 'planned',
      });
      expect(dryRun.applied).toEqual([]);
    });

    it('a drill for a site that is not configured is a clear error, before any change', async () => {
      const ec2 = new ModelEc2(steadySnapshot());
      const drill = signal(parseDrillInput({ site: 'tokyo-dc', scenario: 'connection-down' }, invocation));
      await expect(remediate(drill, deps(ec2))).rejects.toThrow(
        new UnknownSiteError('no site named "tokyo-dc" is configured (sites: seoul-dc, busan-dc)'),
      );
      expect(ec2.applied).toEqual([]);
    });
  });
});

describe('remediate: what gets recorded', () => {
  async function recorded(event: Record<string, unknown>) {
    const { InMemoryIncidentStore } = await import('../../lib/incidents/memory-store.js');
    const { RecordingPublisher } = await import('../../lib/incidents/publisher.js');
    const store = new InMemoryIncidentStore();
    const publisher = new RecordingPublisher();
    const outcome = parseHealthEvent(event);
    if (outcome.type !== 'signal') throw new Error(outcome.reason);
    await remediate(
      outcome.signal,
      deps(new ModelEc2(steadySnapshot()), { incidents: { store, publisher, relapseWindowMs: 1_800_000 } }),
    );
    return { store, publisher };
  }

  it('records a public AWS Health VPN notice that names no VPN, under its event code', async () => {
    const { store, publisher } = await recorded(loadEvent('aws.health/vpn-operational-issue-public.json'));
    expect(await store.current('aws-health:AWS_VPN_OPERATIONAL_ISSUE')).toMatchObject({
      kind: 'maintenance',
      status: 'resolved',
    });
    expect(publisher.events.map((e) => e.change)).toEqual(['opened', 'resolved']);
  });

  it('records a single-tunnel notice for a site that is healthy now as a resolved redundancy record', async () => {
    const { store } = await recorded(loadEvent('aws.health/vpn-single-tunnel-notification.json'));
    expect(await store.current('notice:seoul-dc')).toMatchObject({
      kind: 'redundancy-lost',
      severity: 'info',
      peakSeverity: 'minor',
      status: 'resolved',
    });
    // Kept apart from the site's outages.
    expect(await store.current('seoul-dc')).toBeUndefined();
  });
});

describe('remediate: when recording fails after a change', () => {
  it('keeps the applied failover in the report and marks the site incomplete', async () => {
    const { InMemoryIncidentStore } = await import('../../lib/incidents/memory-store.js');
    const { RecordingPublisher } = await import('../../lib/incidents/publisher.js');
    const store = new InMemoryIncidentStore();
    store.save = async () => {
      throw new Error('DynamoDB unavailable');
    };
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const report = await remediate(
      alarm('alarm-vpn-all-tunnels-down.json'),
      deps(ec2, { incidents: { store, publisher: new RecordingPublisher(), relapseWindowMs: 1_800_000 } }),
    );
    expect(report.sites).toEqual([
      expect.objectContaining({
        site: 'seoul-dc',
        status: 'applied',
        recordError: 'DynamoDB unavailable',
        results: [expect.objectContaining({ outcome: 'changed' })],
      }),
    ]);
    expect(incompleteSites(report)).toEqual(['seoul-dc']);
  });
});

describe('remediate: run safety (deadline, lease, unmanaged subjects, large events)', async () => {
  const { InMemoryIncidentStore } = await import('../../lib/incidents/memory-store.js');
  const { RecordingPublisher } = await import('../../lib/incidents/publisher.js');
  const recorded = () => {
    const store = new InMemoryIncidentStore();
    const publisher = new RecordingPublisher();
    return { store, publisher, incidents: { store, publisher, relapseWindowMs: 1_800_000 } };
  };

  it('abandons before applying when too little time is left, records why, and is incomplete', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const r = recorded();
    const report = await remediate(
      alarm('alarm-vpn-all-tunnels-down.json'),
      deps(ec2, { deadline: { remainingMs: () => 1_000 }, incidents: r.incidents }),
    );
    expect(ec2.applied).toEqual([]);
    expect(report.sites[0]).toMatchObject({
      status: 'applied',
      abandoned: expect.stringContaining("before the run's deadline"),
      results: [expect.objectContaining({ outcome: 'skipped' })],
    });
    expect(incompleteSites(report)).toEqual(['seoul-dc']);
    const current = await r.store.current('seoul-dc');
    const timeline = await r.store.timeline(current?.id ?? '');
    expect(timeline.map((e) => e.summary)).toContainEqual(expect.stringMatching(/^abandoned: /));
  });

  it('abandons when the lease was lost (taken over after expiry): no EC2 write', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const lock = new InMemorySiteLock();
    lock.renew = async () => false;
    const report = await remediate(alarm('alarm-vpn-all-tunnels-down.json'), deps(ec2, { lock }));
    expect(ec2.applied).toEqual([]);
    expect(report.sites[0]).toMatchObject({ abandoned: expect.stringContaining('lease (fence 1) was lost') });
    expect(incompleteSites(report)).toEqual(['seoul-dc']);
  });

  it('serialises signals for a VPN of no site: Minimum and Maximum alarms at once give one incident, the OK closes it', async () => {
    const r = recorded();
    const unmanagedAlarm = (name: string, id: string, state = 'ALARM') => {
      const event = JSON.parse(
        JSON.stringify(loadEvent(`aws.cloudwatch/${name}`)).replaceAll(
          'vpn-0a1b2c3d4e5f60001',
          'vpn-0eeeeeeeeeeeeeeee',
        ),
      ) as { detail: { state: { value: string; timestamp: string } } };
      event.detail.state.value = state;
      if (state === 'OK') event.detail.state.timestamp = '2026-03-02T10:20:00.000+0000';
      return signal(parseAlarmEvent({ ...event, id }));
    };
    const shared = { lock: new InMemorySiteLock(), incidents: r.incidents };
    const ec2 = new ModelEc2(steadySnapshot());
    await Promise.all([
      remediate(
        unmanagedAlarm('alarm-vpn-any-tunnel-down.json', 'min'),
        deps(ec2, { ...shared, owner: 'a' }),
      ),
      remediate(
        unmanagedAlarm('alarm-vpn-all-tunnels-down.json', 'max'),
        deps(ec2, { ...shared, owner: 'b' }),
      ),
    ]);
    const open = await r.store.list({ status: 'open', limit: 10 });
    expect(open.map((i) => i.subject)).toEqual(['vpn:vpn-0eeeeeeeeeeeeeeee']);
    await remediate(
      unmanagedAlarm('alarm-vpn-all-tunnels-down.json', 'ok', 'OK'),
      deps(ec2, { ...shared, owner: 'c', clock: () => new Date(T0 + 60_000) }),
    );
    expect(await r.store.list({ status: 'open', limit: 10 })).toEqual([]);
  });

  it('records one Health event naming 100 unmanaged VPNs as one record, with a bounded number of writes', async () => {
    const r = recorded();
    const event = loadEvent('aws.health/vpn-redundancy-loss.json');
    const ids = Array.from({ length: 100 }, (_, i) => `vpn-0f${String(i).padStart(15, '0')}`);
    event.resources = ids;
    (event.detail as { affectedEntities: { entityValue: string }[] }).affectedEntities = ids.map(
      (entityValue) => ({
        entityValue,
      }),
    );
    let saves = 0;
    const save = r.store.save.bind(r.store);
    r.store.save = async (...args) => {
      saves++;
      return save(...args);
    };
    const report = await remediate(
      signal(parseHealthEvent(event)),
      deps(new ModelEc2(steadySnapshot()), { incidents: r.incidents }),
    );
    expect(report.unmanaged).toHaveLength(100);
    expect(new Set(report.unmanagedIncidents.map((e) => e.incident.id)).size).toBe(1);
    expect(saves).toBeLessThanOrEqual(2);
    // One page for the event (AWS sends one event for a Region-wide notice), not two per VPN.
    expect(r.publisher.pages).toHaveLength(1);
  });

  it('a failed repair (propagation) does not fail a run whose failover landed', async () => {
    const ec2 = new ModelEc2(seoulPrimaryDown());
    const report = await remediate(alarm('alarm-vpn-all-tunnels-down.json'), deps(ec2));
    const landed = report.sites[0];
    if (landed?.status !== 'applied') throw new Error('expected an applied failover');
    const withFailedRepair = {
      ...report,
      sites: [
        {
          ...landed,
          results: [
            ...landed.results,
            {
              action: { type: 'vgw-propagation', routeTableId: 'rtb-1', gatewayId: 'vgw-1' } as const,
              outcome: 'failed' as const,
              calls: ['EnableVgwRoutePropagation'],
              detail: 'EnableVgwRoutePropagation failed with InternalError',
            },
          ],
        },
      ],
    };
    expect(incompleteSites(withFailedRepair)).toEqual([]);
  });
});
