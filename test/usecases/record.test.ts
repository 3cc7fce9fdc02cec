import { describe, expect, it } from 'vitest';
import type { Condition } from '../../lib/incidents/condition.js';
import type { Observation } from '../../lib/incidents/lifecycle.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import type { DeliveryChannel } from '../../lib/incidents/model.js';
import type { IncidentEvent, IncidentPublisher } from '../../lib/incidents/ports.js';
import { pagesPeople } from '../../lib/incidents/publisher.js';
import { recordObservation } from '../../lib/usecases/record.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 10, minute)).toISOString();
const minor: Condition = {
  healthy: false,
  kind: 'redundancy-lost',
  severity: 'minor',
  summary: 'one tunnel down',
};
const major: Condition = {
  healthy: false,
  kind: 'connection-down',
  severity: 'major',
  summary: 'primary down',
};

function obs(minute: number, condition: Condition): Observation {
  return {
    subject: 'seoul-dc',
    eventId: `e-${minute}`,
    condition,
    notice: false,
    observedAt: at(minute),
    mitigated: false,
    entries: [],
  };
}

/** Fails its first `failures` deliveries, whatever the channel; keeps what went to EventBridge. */
class FlakyPublisher implements IncidentPublisher {
  public readonly events: IncidentEvent[] = [];
  public failures = 0;
  public channelsFor(event: IncidentEvent): readonly DeliveryChannel[] {
    return pagesPeople(event) ? ['eventbridge', 'sns'] : ['eventbridge'];
  }
  public async deliver(event: IncidentEvent, channel: DeliveryChannel): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('SNS throttled');
    }
    if (channel === 'eventbridge') this.events.push(event);
  }
}

describe('recording with an outbox', () => {
  it('a change whose publishing failed is published by the next run', async () => {
    const store = new InMemoryIncidentStore();
    const publisher = new FlakyPublisher();
    publisher.failures = 1;
    const deps = { store, publisher, relapseWindowMs: 1_800_000 };
    await expect(recordObservation(obs(1, major), deps)).rejects.toThrow('SNS throttled');
    expect(await store.current('seoul-dc')).toMatchObject({
      unpublished: [{ change: 'opened', version: 1 }],
    });
    // The retry observes nothing new, yet the opening is published, once, and the outbox is empty.
    await recordObservation(obs(2, major), deps);
    expect(publisher.events.map((e) => e.change)).toEqual(['opened']);
    expect((await store.current('seoul-dc'))?.unpublished).toBeUndefined();
  });

  it('an update that raises the severity pages people; a same-severity update does not', async () => {
    const store = new InMemoryIncidentStore();
    const publisher = new FlakyPublisher();
    const deps = { store, publisher, relapseWindowMs: 1_800_000 };
    await recordObservation(obs(1, minor), deps);
    await recordObservation(obs(2, major), deps);
    await recordObservation(obs(3, { ...major, summary: 'primary still down' }), deps);
    expect(publisher.events.map((e) => [e.change, pagesPeople(e)])).toEqual([
      ['opened', true],
      ['updated', true],
      ['updated', false],
    ]);
  });
});

/** Like AwsIncidentPublisher when PutEvents succeeds and SNS then fails: the event is out, the page is not. */
class HalfFailingPublisher implements IncidentPublisher {
  /** EventBridge deliveries, by changeId. */
  public readonly changeIds: string[] = [];
  /** SNS attempts, by changeId, failed or not. */
  public readonly pageAttempts: string[] = [];
  public failures = 0;
  public channelsFor(): readonly DeliveryChannel[] {
    return ['eventbridge', 'sns'];
  }
  public async deliver(event: IncidentEvent, channel: DeliveryChannel): Promise<void> {
    const id = `${event.incident.id}#v${event.changeVersion ?? event.incident.version}#${event.change}`;
    if (channel === 'eventbridge') {
      this.changeIds.push(id);
      return;
    }
    this.pageAttempts.push(id);
    if (this.failures > 0) {
      this.failures--;
      throw new Error('SNS throttled');
    }
  }
}

describe('recording with an outbox, when publishing half fails', () => {
  it('publishes a retried change under the same changeId, so consumers drop the copy', async () => {
    const store = new InMemoryIncidentStore();
    const publisher = new HalfFailingPublisher();
    publisher.failures = 1;
    const deps = { store, publisher, relapseWindowMs: 1_800_000 };
    await expect(recordObservation(obs(1, major), deps)).rejects.toThrow('SNS throttled');
    await recordObservation(obs(2, major), deps);
    expect(new Set(publisher.changeIds)).toEqual(new Set(['inc-seoul-dc-20260302T100100Z#v1#opened']));
  });

  it('records a retried notice once', async () => {
    const store = new InMemoryIncidentStore();
    const publisher = new HalfFailingPublisher();
    publisher.failures = 1;
    const deps = { store, publisher, relapseWindowMs: 1_800_000 };
    const notice = (minute: number): Observation => ({
      ...obs(minute, { healthy: false, kind: 'maintenance', severity: 'info', summary: 'endpoint replaced' }),
      eventId: 'health-1',
      notice: true,
    });
    await expect(recordObservation(notice(1), deps)).rejects.toThrow('SNS throttled');
    await recordObservation(notice(2), deps);
    expect((await store.list({ limit: 10 })).map((i) => i.id)).toHaveLength(1);
    expect(new Set(publisher.changeIds).size).toBe(2); // opened and resolved, each under one id
  });

  it('publishes an old incident’s leftovers before a new incident takes the subject', async () => {
    const store = new InMemoryIncidentStore();
    const publisher = new HalfFailingPublisher();
    const deps = { store, publisher, relapseWindowMs: 1_800_000 };
    await recordObservation(obs(1, major), deps);
    publisher.failures = 1;
    await expect(recordObservation(obs(5, { healthy: true, summary: 'on primary' }), deps)).rejects.toThrow(
      'SNS throttled',
    );
    await recordObservation(obs(50, major), deps); // past the 30-minute relapse window
    // The event went out once; only the page, which failed, was sent again.
    expect(publisher.changeIds.filter((id) => id.endsWith('#resolved'))).toEqual([
      'inc-seoul-dc-20260302T100100Z#v3#resolved',
    ]);
    expect(publisher.pageAttempts.filter((id) => id.endsWith('#resolved'))).toEqual([
      'inc-seoul-dc-20260302T100100Z#v3#resolved',
      'inc-seoul-dc-20260302T100100Z#v3#resolved',
    ]);
    expect(publisher.changeIds.at(-1)).toBe('inc-seoul-dc-20260302T105000Z#v1#opened');
  });
});

describe('a site observation', () => {
  it('counts a failback as back on the primary only when every change landed', async () => {
    const { siteObservation } = await import('../../lib/usecases/record.js');
    const { parseAlarmEvent } = await import('../../lib/events/parse.js');
    const { loadEvent } = await import('../helpers/fixtures.js');
    const { site } = await import('../policy/builders.js');
    const parsed = parseAlarmEvent(loadEvent('aws.cloudwatch/alarm-tunnel-ok.json'));
    if (parsed.type !== 'signal') throw new Error('fixture');
    const action = {
      type: 'tgw-route',
      routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
      destination: '10.3.0.0/20',
      attachmentId: 'tgw-attach-0a1b2c3d4e5f60001',
    } as const;
    const plan = {
      site: 'seoul-dc',
      decidedAt: at(15),
      mode: 'enabled',
      decision: 'failback',
      paths: [],
      activePath: 'backup',
      desiredPath: 'primary',
      actions: [action],
      deferred: [],
      findings: [],
    } as const;
    const observe = (overrides: object, outcome: 'changed' | 'failed') =>
      siteObservation({
        signal: parsed.signal,
        site: site('seoul-dc'),
        plan: { ...plan, ...overrides },
        results: [{ action, outcome, calls: [], detail: '' }],
        vpns: {},
        observedAt: at(15),
      }).condition.healthy;
    expect(observe({}, 'changed')).toBe(true);
    expect(observe({}, 'failed')).toBe(false);
    expect(observe({ mode: 'dry-run' }, 'changed')).toBe(false);
    expect(observe({ deferred: [action] }, 'changed')).toBe(false);
  });
});

describe('a site observation under a kill switch that could not be read', () => {
  const detail =
    'kill switch /tunnel-warden/mode unreadable (AccessDeniedException: denied); allowed values: enabled, dry-run, disabled; running dry-run';

  async function observeFailover(mode: import('../../lib/usecases/ports.js').ModeReading | undefined) {
    const { siteObservation } = await import('../../lib/usecases/record.js');
    const { parseAlarmEvent } = await import('../../lib/events/parse.js');
    const { loadEvent } = await import('../helpers/fixtures.js');
    const { site } = await import('../policy/builders.js');
    const parsed = parseAlarmEvent(loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json'));
    if (parsed.type !== 'signal') throw new Error('fixture');
    const action = {
      type: 'tgw-route',
      routeTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
      destination: '10.3.0.0/20',
      attachmentId: 'tgw-attach-0a1b2c3d4e5f60002',
    } as const;
    return siteObservation({
      signal: parsed.signal,
      site: site('seoul-dc'),
      plan: {
        site: 'seoul-dc',
        decidedAt: at(15),
        mode: 'dry-run',
        decision: 'failover',
        paths: [],
        activePath: 'primary',
        desiredPath: 'backup',
        actions: [action],
        deferred: [],
        findings: [{ code: 'path-down', severity: 'major', message: 'primary down', path: 'primary' }],
      },
      results: [],
      vpns: {},
      observedAt: at(15),
      mode,
    });
  }

  it('says in the summary and in a timeline note why no route changed', async () => {
    const observation = await observeFailover({ mode: 'dry-run', source: 'fallback', detail });
    expect(observation.condition.summary).toBe(`primary down; no route changed: ${detail}`);
    expect(observation.entries.map((e) => [e.type, e.summary])).toContainEqual([
      'note',
      `no route changed: ${detail}`,
    ]);
  });

  it('adds nothing when the operator chose dry-run (the plan line already says so)', async () => {
    const observation = await observeFailover({ mode: 'dry-run', source: 'parameter' });
    expect(observation.condition.summary).toBe('primary down');
    expect(observation.entries.some((e) => e.type === 'note')).toBe(false);
  });
});
