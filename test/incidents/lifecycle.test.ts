import { describe, expect, it } from 'vitest';
import type { Condition } from '../../lib/incidents/condition.js';
import { evolve, type Observation } from '../../lib/incidents/lifecycle.js';
import type { Incident } from '../../lib/incidents/model.js';
import { incidentDurations } from '../../lib/incidents/model.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 10, minute)).toISOString();
const down: Condition = {
  healthy: false,
  kind: 'connection-down',
  severity: 'major',
  summary: 'primary down',
};
const redundancy: Condition = {
  healthy: false,
  kind: 'redundancy-lost',
  severity: 'minor',
  summary: 'one tunnel down',
};
const unreachable: Condition = {
  healthy: false,
  kind: 'site-unreachable',
  severity: 'critical',
  summary: 'no path',
};
const RELAPSE = 30 * 60_000;
const healthy: Condition = { healthy: true, summary: 'on primary' };

function obs(minute: number, condition: Condition, extra: Partial<Observation> = {}): Observation {
  return {
    subject: 'seoul-dc',
    eventId: `evt-${minute}`,
    condition,
    notice: false,
    observedAt: at(minute),
    mitigated: false,
    entries: [
      { at: at(minute), type: 'signal', entryId: `evt-${minute}#signal`, summary: 'signal', detail: {} },
    ],
    ...extra,
  };
}

/** Runs observations through evolve as the recorder would, returning the final incident and the changes. */
function run(
  observations: Observation[],
  start?: Incident,
): { incident: Incident | undefined; changes: string[] } {
  let incident = start;
  const changes: string[] = [];
  for (const o of observations) {
    const e = evolve(incident, o, RELAPSE);
    if (e.incident !== undefined) {
      expect(e.expectedVersion).toBe(e.incident.id === incident?.id ? incident.version : 0);
      incident = e.incident;
    }
    changes.push(...e.changes);
  }
  return { incident, changes };
}

describe('incident lifecycle', () => {
  it('records nothing while the site is healthy', () => {
    expect(evolve(undefined, obs(0, healthy), RELAPSE)).toEqual({
      expectedVersion: 0,
      changes: [],
      entries: [],
    });
  });

  it('opens on the first trouble, gathers later observations, and resolves with durations', () => {
    const { incident, changes } = run([
      obs(5, down, { failureStartedAt: at(3) }),
      obs(6, down, { mitigated: true }),
      obs(30, healthy),
    ]);
    expect(changes).toEqual(['opened', 'updated', 'resolved']);
    expect(incident).toMatchObject({
      id: 'inc-seoul-dc-20260302T100500Z',
      status: 'resolved',
      kind: 'connection-down',
      peakSeverity: 'major',
      severity: 'info',
      version: 3,
    });
    expect(incident && incidentDurations(incident)).toEqual({ ttd: 120, ttm: 180, ttr: 1620 });
  });

  it('keeps the worst kind and peak severity, with the current severity', () => {
    const { incident } = run([obs(1, redundancy), obs(2, unreachable), obs(3, down)]);
    expect(incident).toMatchObject({ kind: 'site-unreachable', peakSeverity: 'critical', severity: 'major' });
  });

  it('reopens the same incident on a relapse inside the window, and opens a new one after it', () => {
    const first = run([obs(1, down), obs(10, healthy), obs(20, down)]);
    expect(first.changes).toEqual(['opened', 'resolved', 'reopened']);
    expect(first.incident).toMatchObject({
      id: 'inc-seoul-dc-20260302T100100Z',
      status: 'open',
      reopenCount: 1,
    });
    expect(first.incident?.resolvedAt).toBeUndefined();
    const later = run([obs(1, down), obs(10, healthy), obs(45, down)]);
    expect(later.changes).toEqual(['opened', 'resolved', 'opened']);
    expect(later.incident).toMatchObject({ id: 'inc-seoul-dc-20260302T104500Z', reopenCount: 0, version: 1 });
  });

  describe('a relapse is the same failure: same kind on the same path', () => {
    const primaryDown: Condition = { ...down, path: 'primary' };
    const onBackup: Condition = {
      healthy: false,
      kind: 'connection-down',
      severity: 'minor',
      summary: 'traffic is on backup, not on primary',
      path: 'primary',
    };
    const backupTunnel: Condition = { ...redundancy, summary: 'one backup tunnel down', path: 'backup' };

    it('opens a new minor record when one tunnel of the idle backup goes down 13 minutes after the outage resolved', () => {
      // 10:01 primary down → failover; 10:03 on backup; 10:15 failback landed; 10:28 a backup tunnel.
      const outage = run([obs(1, primaryDown), obs(3, onBackup), obs(15, healthy)]);
      expect(outage.incident).toMatchObject({ status: 'resolved', kind: 'connection-down', path: 'primary' });
      const later = evolve(outage.incident, obs(28, backupTunnel), RELAPSE);
      expect(later.changes).toEqual(['opened']);
      expect(later.expectedVersion).toBe(0);
      expect(later.incident).toMatchObject({
        id: 'inc-seoul-dc-20260302T102800Z',
        status: 'open',
        kind: 'redundancy-lost',
        severity: 'minor',
        peakSeverity: 'minor',
        path: 'backup',
        reopenCount: 0,
        detectedAt: at(28),
      });
      expect(later.entries.map((e) => e.incidentId)).toEqual([later.incident?.id, later.incident?.id]);
    });

    it('reopens when the primary goes down again inside the window', () => {
      const { incident, changes } = run([obs(1, primaryDown), obs(15, healthy), obs(28, primaryDown)]);
      expect(changes).toEqual(['opened', 'resolved', 'reopened']);
      expect(incident).toMatchObject({
        id: 'inc-seoul-dc-20260302T100100Z',
        reopenCount: 1,
        path: 'primary',
      });
    });

    it('opens a new record for the same kind on another path, and for another kind on the same path', () => {
      const backupDown: Condition = { ...down, summary: 'backup down', path: 'backup' };
      expect(run([obs(1, primaryDown), obs(15, healthy), obs(20, backupDown)]).changes).toEqual([
        'opened',
        'resolved',
        'opened',
      ]);
      const primaryTunnel: Condition = { ...redundancy, path: 'primary' };
      expect(run([obs(1, primaryDown), obs(15, healthy), obs(20, primaryTunnel)]).changes).toEqual([
        'opened',
        'resolved',
        'opened',
      ]);
    });

    it('reopens an outage that grew from one primary tunnel, whether the relapse starts with one tunnel or both', () => {
      const primaryTunnel: Condition = { ...redundancy, path: 'primary' };
      const outage = [obs(1, primaryTunnel), obs(2, primaryDown), obs(15, healthy)];
      expect(run(outage).incident).toMatchObject({
        kind: 'connection-down',
        path: 'primary',
        openedKind: 'redundancy-lost',
        openedPath: 'primary',
      });
      for (const relapse of [primaryTunnel, primaryDown]) {
        const { incident, changes } = run([...outage, obs(25, relapse)]);
        expect(changes.at(-1)).toBe('reopened');
        expect(incident).toMatchObject({ id: 'inc-seoul-dc-20260302T100100Z', reopenCount: 1 });
      }
      // …but not for the backup's tunnel.
      expect(run([...outage, obs(25, backupTunnel)]).changes.at(-1)).toBe('opened');
    });

    it('moves the path with the kind: an incident that got worse is about the worse failure', () => {
      const { incident } = run([obs(1, backupTunnel), obs(2, primaryDown), obs(3, backupTunnel)]);
      expect(incident).toMatchObject({ kind: 'connection-down', path: 'primary' });
      const siteWide = run([obs(1, primaryDown), obs(2, unreachable)]).incident;
      expect(siteWide?.kind).toBe('site-unreachable');
      expect(siteWide && 'path' in siteWide).toBe(false);
    });

    it('does not reopen an incident stored before paths were recorded for a failure on a path', () => {
      const legacy = run([obs(1, down), obs(15, healthy)]).incident;
      expect(legacy && 'path' in legacy).toBe(false);
      expect(evolve(legacy, obs(20, primaryDown), RELAPSE).changes).toEqual(['opened']);
    });
  });

  it('never moves an incident backwards for an observation older than its last', () => {
    const open = run([obs(1, down), obs(10, healthy)]).incident;
    const stale = evolve(open, obs(5, down), RELAPSE);
    expect(stale).toEqual({ expectedVersion: open?.version, changes: [], entries: [] });
    const stillOpen = run([obs(1, down), obs(10, down)]).incident;
    const late = evolve(stillOpen, obs(5, healthy), RELAPSE);
    expect(late.changes).toEqual([]);
    expect(late.incident).toBeUndefined();
    // …but its entries still land in the open incident's timeline.
    expect(late.entries.map((e) => e.incidentId)).toEqual([stillOpen?.id]);
  });

  it('records a notice as an incident that opens and resolves at once', () => {
    const notice: Condition = {
      healthy: false,
      kind: 'maintenance',
      severity: 'info',
      summary: 'endpoint replaced',
    };
    const e = evolve(undefined, obs(1, notice, { notice: true }), RELAPSE);
    expect(e.changes).toEqual(['opened', 'resolved']);
    expect(e.incident).toMatchObject({ status: 'resolved', kind: 'maintenance', version: 1 });
    expect(e.entries.map((x) => x.type)).toEqual(['signal', 'state', 'state']);
  });

  it('a real outage after a notice opens its own incident instead of reopening the notice', () => {
    const notice: Condition = {
      healthy: false,
      kind: 'maintenance',
      severity: 'info',
      summary: 'endpoint replaced',
    };
    const { incident, changes } = run([obs(0, notice, { notice: true }), obs(20, down)]);
    expect(changes).toEqual(['opened', 'resolved', 'opened']);
    expect(incident).toMatchObject({ kind: 'connection-down', reopenCount: 0, detectedAt: at(20) });
  });

  it('gives every entry a deterministic id so a redelivered event writes nothing twice', () => {
    const a = evolve(undefined, obs(1, down), RELAPSE);
    const b = evolve(undefined, obs(1, down), RELAPSE);
    expect(a.entries.map((e) => e.entryId)).toEqual(b.entries.map((e) => e.entryId));
  });
});
