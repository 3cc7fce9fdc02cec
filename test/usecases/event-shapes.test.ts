/**
 * Health shapes through the use case: an organizational-view event about another account's VPN, and a
 * multi-page event. What is recorded, and that nothing is observed or changed where it must not be.
 */
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/domain/signal.js';
import { parseHealthEvent } from '../../lib/events/parse.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import { RecordingPublisher } from '../../lib/incidents/publisher.js';
import { remediate } from '../../lib/usecases/remediate.js';
import { loadEvent } from '../helpers/fixtures.js';
import { minutesAgo, steadySnapshot, T0, tunnel, withTunnels } from '../policy/builders.js';
import { deps, ModelEc2 } from './fakes.js';

type Detail = Record<string, unknown>;

function signalOf(event: unknown): Signal {
  const outcome = parseHealthEvent(event);
  if (outcome.type !== 'signal') throw new Error(outcome.reason);
  return outcome.signal;
}

function recording() {
  const store = new InMemoryIncidentStore();
  const publisher = new RecordingPublisher();
  return { store, publisher, incidents: { store, publisher, relapseWindowMs: 1_800_000 } };
}

/** seoul-dc's primary VPN, named by an org-view event as a member account's. */
const SEOUL_PRIMARY = 'vpn-0a1b2c3d4e5f60001';

function orgViewAbout(vpnId: string, affectedAccount: string) {
  const event = loadEvent('aws.health/vpn-redundancy-loss-org-view.json');
  event.resources = [vpnId];
  const detail = event.detail as Detail;
  detail.affectedEntities = [{ entityValue: vpnId }];
  detail.affectedAccount = affectedAccount;
  detail.eventTypeCode = 'AWS_VPN_SINGLE_TUNNEL_NOTIFICATION';
  // One page: the multi-page case is below.
  delete detail.page;
  delete detail.totalPages;
  return event;
}

describe("an organizational-view Health event about another account's VPN", () => {
  it('is recorded under that account, never observed nor acted on — even when the VPN id is a managed one', async () => {
    // The primary is down here: were the event taken as ours, the site would fail over.
    const ec2 = new ModelEc2(
      withTunnels(steadySnapshot(), SEOUL_PRIMARY, [
        tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 3)),
        tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 3)),
      ]),
    );
    const r = recording();
    const report = await remediate(
      signalOf(orgViewAbout(SEOUL_PRIMARY, '444455556666')),
      deps(ec2, { incidents: r.incidents }),
    );
    expect(report.sites).toEqual([]);
    expect(ec2.calls).toEqual([]);
    expect(ec2.applied).toEqual([]);
    expect(report.unmanaged).toEqual([{ vpnId: SEOUL_PRIMARY, tunnelIps: [], account: '444455556666' }]);
    const record = await r.store.current(`account:444455556666:vpn:${SEOUL_PRIMARY}`);
    expect(record).toMatchObject({ status: 'resolved' });
    expect(record?.summary).toContain('account 444455556666');
    expect(await r.store.current('notice:seoul-dc')).toBeUndefined();
  });

  it("is the stack's own when affectedAccount is the receiving account", async () => {
    const ec2 = new ModelEc2(steadySnapshot());
    const report = await remediate(signalOf(orgViewAbout(SEOUL_PRIMARY, '111122223333')), deps(ec2));
    expect(report.sites.map((s) => s.site)).toEqual(['seoul-dc']);
  });
});

describe('a multi-page Health event (page / totalPages)', () => {
  function page(n: number, vpnIds: readonly string[]) {
    const event = loadEvent('aws.health/vpn-redundancy-loss.json');
    event.id = `0000000${n}-0000-4000-8000-000000000000`;
    event.resources = [...vpnIds];
    const detail = event.detail as Detail;
    detail.affectedEntities = vpnIds.map((entityValue) => ({ entityValue }));
    detail.communicationId = `${String(detail.communicationId).replace(/-\d+$/, '')}-${n}`;
    detail.page = String(n);
    detail.totalPages = '2';
    return event;
  }

  it('is one record, with the affected connections of every page', async () => {
    const r = recording();
    const ec2 = new ModelEc2(steadySnapshot());
    const first = ['vpn-0f000000000000001', 'vpn-0f000000000000002'];
    const second = ['vpn-0f000000000000003'];
    await remediate(signalOf(page(1, first)), deps(ec2, { incidents: r.incidents }));
    await remediate(signalOf(page(2, second)), deps(ec2, { incidents: r.incidents, owner: 'req-2' }));
    const records = await r.store.list({ status: 'resolved', limit: 10 });
    expect(records).toHaveLength(1);
    const [record] = records;
    if (record === undefined) throw new Error('no record');
    const timeline = await r.store.timeline(record.id);
    const named = timeline.filter((e) => e.type === 'signal').map((e) => e.summary);
    expect(named).toHaveLength(2);
    expect(named.join(' ')).toContain('vpn-0f000000000000001');
    expect(named.join(' ')).toContain('vpn-0f000000000000003');
    expect(named.join(' ')).toContain('page 2/2');
    // One page to people for the event, not one per page.
    expect(r.publisher.pages).toHaveLength(1);
  });

  it('pages of one event for one site are one notice of that site', async () => {
    const r = recording();
    const ec2 = new ModelEc2(steadySnapshot());
    await remediate(signalOf(page(1, [SEOUL_PRIMARY])), deps(ec2, { incidents: r.incidents }));
    await remediate(
      signalOf(page(2, ['vpn-0a1b2c3d4e5f60002'])),
      deps(ec2, { incidents: r.incidents, owner: 'req-2' }),
    );
    const records = await r.store.list({ status: 'resolved', limit: 10 });
    expect(records.map((i) => i.subject)).toEqual(['notice:seoul-dc']);
  });
});

describe('a muted alarm (muteDetail)', () => {
  it('is decided as usual (a mute rule silences the alarm’s actions, not its events) and the record says it was muted', async () => {
    const { parseAlarmEvent } = await import('../../lib/events/parse.js');
    const outcome = parseAlarmEvent(loadEvent('aws.cloudwatch/alarm-contributor-vpn-degraded.json'));
    if (outcome.type !== 'signal') throw new Error(outcome.reason);
    const r = recording();
    const ec2 = new ModelEc2(
      withTunnels(steadySnapshot(), SEOUL_PRIMARY, [
        tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 3)),
        tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 3)),
      ]),
    );
    const report = await remediate(outcome.signal, deps(ec2, { incidents: r.incidents }));
    expect(report.sites).toEqual([expect.objectContaining({ site: 'seoul-dc', status: 'applied' })]);
    const incident = await r.store.current('seoul-dc');
    const timeline = incident === undefined ? [] : await r.store.timeline(incident.id);
    expect(timeline.find((e) => e.type === 'signal')?.summary).toContain(
      'muted by arn:aws:cloudwatch:us-east-1:111122223333:alarm-mute-rule:maintenance-window',
    );
  });
});

describe('Network Manager events through the use case', () => {
  const registered = {
    globalNetwork: 'global-network-0a1b2c3d4e5f60001',
    transitGateways: ['tgw-0a1b2c3d4e5f60001'],
  };
  async function networkSignal(name: string): Promise<Signal> {
    const { parseNetworkManagerEvent } = await import('../../lib/events/parse.js');
    const outcome = parseNetworkManagerEvent(loadEvent(name), { region: 'us-east-1' }, registered);
    if (outcome.type !== 'signal') throw new Error(outcome.reason);
    return outcome.signal;
  }
  const primaryDown = () =>
    withTunnels(steadySnapshot(), SEOUL_PRIMARY, [
      tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 3)),
      tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 3)),
    ]);

  it('an IPsec-down event points at the site; the fresh snapshot (both tunnels down) fails it over', async () => {
    const ec2 = new ModelEc2(primaryDown());
    const r = recording();
    const report = await remediate(
      await networkSignal('aws.networkmanager/vpn-ipsec-down.json'),
      deps(ec2, { incidents: r.incidents }),
    );
    expect(report.sites).toEqual([expect.objectContaining({ site: 'seoul-dc', status: 'applied' })]);
    const incident = await r.store.current('seoul-dc');
    const timeline = incident === undefined ? [] : await r.store.timeline(incident.id);
    expect(timeline.find((e) => e.type === 'signal')?.summary).toContain(
      'Network Manager VPN-CONNECTION-IPSEC-DOWN',
    );
  });

  it("another account's VPN in the global network is recorded, never observed nor acted on", async () => {
    const ec2 = new ModelEc2(primaryDown());
    const r = recording();
    const report = await remediate(
      await networkSignal('aws.networkmanager/vpn-ipsec-down-other-account.json'),
      deps(ec2, { incidents: r.incidents }),
    );
    expect(report.sites).toEqual([]);
    expect(ec2.calls).toEqual([]);
    expect(await r.store.current(`account:444455556666:vpn:${SEOUL_PRIMARY}`)).toMatchObject({
      status: 'open',
      summary: expect.stringContaining('account 444455556666'),
    });
  });
});
