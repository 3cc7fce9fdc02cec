import { describe, expect, it } from 'vitest';
import { parseAlarmEvent } from '../../lib/events/parse.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import { RecordingPublisher } from '../../lib/incidents/publisher.js';
import { compactReport } from '../../lib/runtime/compact-report.js';
import { remediate } from '../../lib/usecases/remediate.js';
import { loadEvent } from '../helpers/fixtures.js';
import { minutesAgo, steadySnapshot, T0, tunnel, withTunnels } from '../policy/builders.js';
import { deps, ModelEc2 } from '../usecases/fakes.js';

describe('the compact report a function returns (and idempotency stores)', () => {
  it('keeps decisions, actions, results and incident ids, and drops timelines and path assessments', async () => {
    const parsed = parseAlarmEvent(loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json'));
    if (parsed.type !== 'signal') throw new Error('fixture');
    const down = withTunnels(steadySnapshot(), 'vpn-0a1b2c3d4e5f60001', [
      tunnel('198.51.100.10', 'DOWN', minutesAgo(T0, 2)),
      tunnel('198.51.100.11', 'DOWN', minutesAgo(T0, 2)),
    ]);
    const report = await remediate(
      parsed.signal,
      deps(new ModelEc2(down), {
        incidents: {
          store: new InMemoryIncidentStore(),
          publisher: new RecordingPublisher(),
          relapseWindowMs: 1_800_000,
        },
      }),
    );
    const compact = compactReport(report);
    expect(compact.sites).toEqual([
      expect.objectContaining({
        site: 'seoul-dc',
        status: 'applied',
        plan: expect.objectContaining({ decision: 'failover', activePath: 'primary', desiredPath: 'backup' }),
        results: [expect.objectContaining({ outcome: 'changed' })],
        incidents: [expect.objectContaining({ change: 'opened', kind: 'connection-down' })],
      }),
    ]);
    const json = JSON.stringify(compact);
    expect(json).not.toContain('"entries"');
    expect(json).not.toContain('"healthySince"');
    expect(json.length).toBeLessThan(JSON.stringify(report).length / 2);
  });

  it('is redacted like every stored record: an error quoting a pre-shared key keeps the error, not the key', () => {
    const signal = { kind: 'sweep', schedule: '', origin: { eventId: 'e-1' } } as const;
    const report = {
      signal,
      mode: { mode: 'enabled', source: 'config' },
      unmanaged: [],
      unmanagedIncidents: [],
      unmanagedErrors: ['vpn-0a1b2c3d4e5f60009: InvalidParameter: psk "Zq7planted99"'],
      sites: [
        {
          site: 'seoul-dc',
          status: 'failed',
          error: 'ModifyVpnTunnelOptions: PreSharedKey=Zq7planted99 rejected',
        },
      ],
    } as unknown as Parameters<typeof compactReport>[0];
    const json = JSON.stringify(compactReport(report));
    expect(json).not.toContain('Zq7planted99');
    expect(json).toContain('PreSharedKey=[redacted] rejected');
    expect(json).toContain('InvalidParameter: psk');
  });
});
