import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/domain/signal.js';
import type { TunnelMaintenance } from '../../lib/domain/snapshot.js';
import { parseHealthEvent } from '../../lib/events/parse.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import { RecordingPublisher } from '../../lib/incidents/publisher.js';
import { InMemorySiteLock } from '../../lib/store/site-lock.js';
import {
  checkMaintenance,
  type MaintenanceDeps,
  maintenanceTargets,
} from '../../lib/usecases/maintenance.js';
import { loadEvent } from '../helpers/fixtures.js';
import { steadySnapshot, T0 } from '../policy/builders.js';
import { fixedMode, ModelEc2 } from './fakes.js';

const SEOUL_PRIMARY = 'vpn-0a1b2c3d4e5f60001';
const AUTO_APPLY = '2026-06-15T00:00:00.000Z';

function healthSignal(name: string, edit: (detail: Record<string, unknown>) => void = () => {}): Signal {
  const event = loadEvent(name);
  edit(event.detail as Record<string, unknown>);
  const outcome = parseHealthEvent(event);
  if (outcome.type !== 'signal') throw new Error(outcome.reason);
  return outcome.signal;
}

/** GetVpnTunnelReplacementStatus as the twin answers it: maintenance pending on the tunnels given. */
function maintenanceOf(pending: Readonly<Record<string, string | undefined>>) {
  const asked: string[] = [];
  return {
    asked,
    port: {
      tunnelMaintenance: async (vpnId: string, tunnelIp: string): Promise<TunnelMaintenance> => {
        asked.push(`${vpnId} ${tunnelIp}`);
        const key = `${vpnId} ${tunnelIp}`;
        if (!(key in pending)) return { vpnId, tunnelIp, pending: false, pendingMaintenance: 'None' };
        const after = pending[key];
        return {
          vpnId,
          tunnelIp,
          pending: true,
          pendingMaintenance: 'Available',
          ...(after === undefined ? {} : { autoAppliedAfter: after }),
        };
      },
    },
  };
}

function depsWith(maintenance: MaintenanceDeps['maintenance'], overrides: Partial<MaintenanceDeps> = {}) {
  const store = new InMemoryIncidentStore();
  const publisher = new RecordingPublisher();
  const ec2 = new ModelEc2(steadySnapshot());
  const deps: MaintenanceDeps = {
    ec2,
    maintenance,
    mode: fixedMode('enabled'),
    lock: new InMemorySiteLock(),
    owner: 'req-1',
    clock: () => new Date(T0),
    incidents: { store, publisher, relapseWindowMs: 1_800_000 },
    ...overrides,
  };
  return { deps, store, publisher, ec2 };
}

describe('which Health events ask for the maintenance of their VPNs', () => {
  it('any VPN event of category scheduledChange, whatever its code', () => {
    expect(maintenanceTargets(healthSignal('aws.health/vpn-scheduled-change-other-code.json'))).toEqual([
      SEOUL_PRIMARY,
    ]);
    expect(maintenanceTargets(healthSignal('aws.health/vpn-tunnel-update-available.json'))).toEqual([
      'vpn-0a1b2c3d4e5f60002',
    ]);
  });

  it('not an accountNotification, and never another account’s VPN', () => {
    expect(maintenanceTargets(healthSignal('aws.health/vpn-redundancy-loss.json'))).toEqual([]);
    const foreign = healthSignal('aws.health/vpn-scheduled-change-other-code.json', (d) => {
      d.affectedAccount = '444455556666';
    });
    expect(maintenanceTargets(foreign)).toEqual([]);
  });
});

describe('checkMaintenance: GetVpnTunnelReplacementStatus for each tunnel, pending maintenance recorded', () => {
  const trigger = { eventId: 'health-1', at: new Date(T0).toISOString() };

  it('asks about every tunnel of the VPN and records the pending one with its auto-apply date', async () => {
    const m = maintenanceOf({ [`${SEOUL_PRIMARY} 198.51.100.11`]: AUTO_APPLY });
    const { deps, store, ec2 } = depsWith(m.port);
    const report = await checkMaintenance([SEOUL_PRIMARY], trigger, deps);
    expect(m.asked).toEqual([`${SEOUL_PRIMARY} 198.51.100.10`, `${SEOUL_PRIMARY} 198.51.100.11`]);
    expect(report.pending).toEqual([
      expect.objectContaining({ tunnelIp: '198.51.100.11', autoAppliedAfter: AUTO_APPLY }),
    ]);
    const record = await store.current(`maintenance:${SEOUL_PRIMARY}`);
    expect(record).toMatchObject({ kind: 'maintenance', severity: 'info', status: 'resolved' });
    expect(record?.summary).toContain(`auto-applied after ${AUTO_APPLY}`);
    const timeline = record === undefined ? [] : await store.timeline(record.id);
    expect(timeline.find((e) => e.type === 'note')).toMatchObject({
      summary: expect.stringContaining(
        `tunnel 198.51.100.11 of ${SEOUL_PRIMARY}: maintenance pending (Available)`,
      ),
      detail: {
        maintenance: { pendingMaintenance: 'Available', autoAppliedAfter: AUTO_APPLY },
        trigger: 'health-1',
      },
    });
    // Read-only towards EC2.
    expect(ec2.applied).toEqual([]);
    expect(ec2.calls).toEqual(['DescribeVpnConnections']);
  });

  it('records the same pending maintenance once, however many daily checks find it; a new date is news', async () => {
    const m = maintenanceOf({ [`${SEOUL_PRIMARY} 198.51.100.10`]: AUTO_APPLY });
    const { deps, store, publisher } = depsWith(m.port);
    await checkMaintenance([SEOUL_PRIMARY], trigger, deps);
    await checkMaintenance([SEOUL_PRIMARY], { eventId: 'sweep-2', at: '2026-03-03T10:00:00.000Z' }, deps);
    expect(publisher.pages).toHaveLength(1);
    const later = maintenanceOf({ [`${SEOUL_PRIMARY} 198.51.100.10`]: '2026-07-01T00:00:00.000Z' });
    await checkMaintenance(
      [SEOUL_PRIMARY],
      { eventId: 'sweep-3', at: '2026-03-04T10:00:00.000Z' },
      { ...deps, maintenance: later.port },
    );
    expect(publisher.pages).toHaveLength(2);
    expect((await store.current(`maintenance:${SEOUL_PRIMARY}`))?.summary).toContain('2026-07-01');
  });

  it('records nothing when nothing is pending', async () => {
    const { deps, store } = depsWith(maintenanceOf({}).port);
    const report = await checkMaintenance([SEOUL_PRIMARY], trigger, deps);
    expect(report.checked).toHaveLength(2);
    expect(await store.list({ limit: 10 })).toEqual([]);
  });

  it('reports a tunnel it could not ask about and still records the others', async () => {
    const m = maintenanceOf({ [`${SEOUL_PRIMARY} 198.51.100.11`]: AUTO_APPLY });
    const failing = {
      tunnelMaintenance: async (vpnId: string, ip: string) => {
        if (ip === '198.51.100.10') throw new Error('GetVpnTunnelReplacementStatus throttled');
        return m.port.tunnelMaintenance(vpnId, ip);
      },
    };
    const { deps, store } = depsWith(failing);
    const report = await checkMaintenance([SEOUL_PRIMARY], trigger, deps);
    expect(report.errors).toEqual([
      `${SEOUL_PRIMARY} 198.51.100.10: GetVpnTunnelReplacementStatus throttled`,
    ]);
    expect(await store.current(`maintenance:${SEOUL_PRIMARY}`)).toBeDefined();
  });

  it('asks nothing when the kill switch says disabled', async () => {
    const m = maintenanceOf({});
    const { deps, ec2 } = depsWith(m.port, { mode: fixedMode('disabled') });
    const report = await checkMaintenance([SEOUL_PRIMARY], trigger, deps);
    expect(report.skipped).toBeDefined();
    expect(m.asked).toEqual([]);
    expect(ec2.calls).toEqual([]);
  });
});

describe('checkMaintenance: a VPN that no longer exists', () => {
  it('is reported as missing, not as an error (a deleted VPN has no maintenance)', async () => {
    const { deps } = depsWith(maintenanceOf({}).port);
    const report = await checkMaintenance(
      ['vpn-0fffffffffffffff0'],
      { eventId: 'e', at: new Date(T0).toISOString() },
      deps,
    );
    expect(report).toMatchObject({ errors: [], missing: ['vpn-0fffffffffffffff0'], checked: [] });
  });
});
