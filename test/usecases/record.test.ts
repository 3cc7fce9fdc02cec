import { describe, expect, it } from 'vitest';
import type { Condition } from '../../lib/incidents/condition.js';
import type { Observation } from '../../lib/incidents/lifecycle.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
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
    relapseWindowMs: 1_800_000,
  };
}

class FlakyPublisher implements IncidentPublisher {
  public readonly events: IncidentEvent[] = [];
  public failures = 0;
  public async publish(event: IncidentEvent): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('SNS throttled');
    }
    this.events.push(event);
  }
}

describe('recording with an outbox', () => {
  it('a change whose publishing failed is published by the next run', async () => {
    const store = new InMemoryIncidentStore();
    const publisher = new FlakyPublisher();
    publisher.failures = 1;
    const deps = { store, publisher, relapseWindowMs: 1_800_000 };
    await expect(recordObservation(obs(1, major), deps)).rejects.toThrow('SNS throttled');
    expect(await store.current('seoul-dc')).toMatchObject({ unpublished: ['opened'] });
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
