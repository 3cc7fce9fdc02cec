import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import type { DeliveryChannel } from '../../lib/incidents/model.js';
import type { IncidentEvent, IncidentPublisher } from '../../lib/incidents/ports.js';
import { withDeliveryMetrics } from '../../lib/runtime/delivery-metrics.js';
import { recordObservation } from '../../lib/usecases/record.js';
import { T0 } from '../policy/builders.js';
import { deps, ModelEc2 } from '../usecases/fakes.js';

/** SNS down for good: every page fails, every event goes out. */
class DeadTopic implements IncidentPublisher {
  public channelsFor(): readonly DeliveryChannel[] {
    return ['eventbridge', 'sns'];
  }
  public async deliver(_event: IncidentEvent, channel: DeliveryChannel): Promise<void> {
    if (channel === 'sns') throw new Error('KMSDisabledException');
  }
}

describe('withDeliveryMetrics', () => {
  it('counts each failed delivery as DeliveryFailures with its channel, and keeps the caller’s hook', async () => {
    const metrics = new Metrics({ namespace: 'TunnelWarden', serviceName: 'tunnel-warden' });
    const counted: string[] = [];
    vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const single = new Metrics({ namespace: 'TunnelWarden', serviceName: 'tunnel-warden' });
      vi.spyOn(single, 'addDimension').mockImplementation((name, value) => {
        counted.push(`${name}=${value}`);
        return single;
      });
      vi.spyOn(single, 'addMetric').mockImplementation((name) => {
        counted.push(name);
        return single;
      });
      return single;
    });
    const seen: DeliveryChannel[] = [];
    const base = deps(
      new ModelEc2({
        takenAt: new Date(T0).toISOString(),
        vpnConnections: {},
        vpcRouteTables: {},
        tgwRouteTables: {},
      }),
      {
        incidents: {
          store: new InMemoryIncidentStore(),
          publisher: new DeadTopic(),
          relapseWindowMs: 1_800_000,
          onDeliveryFailure: (f) => seen.push(f.channel),
        },
      },
    );
    const wrapped = withDeliveryMetrics(base, metrics).incidents;
    await expect(
      recordObservation(
        {
          subject: 'seoul-dc',
          eventId: 'e-1',
          condition: { healthy: false, kind: 'connection-down', severity: 'major', summary: 'down' },
          notice: false,
          observedAt: new Date(T0).toISOString(),
          mitigated: false,
          entries: [],
        },
        wrapped,
      ),
    ).rejects.toThrow('KMSDisabledException');
    expect(counted).toEqual(['channel=sns', 'DeliveryFailures']);
    expect(seen).toEqual(['sns']);
  });
});
