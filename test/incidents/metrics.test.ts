import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordIncidentMetrics } from '../../lib/incidents/metrics.js';
import type { Incident } from '../../lib/incidents/model.js';
import type { IncidentEvent } from '../../lib/incidents/ports.js';
import { event } from './publish-fixtures.js';

interface Emitted {
  readonly name: string;
  readonly unit: string;
  readonly value: unknown;
  readonly dimensions: readonly string[];
  readonly kind?: unknown;
}

/** Powertools writes EMF with its own Console on process.stdout (the `logger` option only gets its warnings). */
let lines: string[] = [];

beforeEach(() => {
  // vitest.config disables metrics for every other test; these are about the output.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_DEV', undefined);
  lines = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Records one change, flushes the buffered metrics the way the handler does, returns what reached stdout. */
function record(e: IncidentEvent, failovers = 0): Emitted[] {
  const metrics = new Metrics({ namespace: 'TunnelWarden', serviceName: 'tunnel-warden', logger: silent });
  recordIncidentMetrics(metrics, e, failovers);
  metrics.publishStoredMetrics();
  return lines.flatMap((line) => {
    const emf = JSON.parse(line) as Record<string, unknown> & {
      _aws: {
        CloudWatchMetrics: {
          Namespace: string;
          Dimensions: string[][];
          Metrics: { Name: string; Unit: string }[];
        }[];
      };
    };
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe('TunnelWarden');
    return (directive?.Metrics ?? []).map((m) => ({
      name: m.Name,
      unit: m.Unit,
      value: emf[m.Name],
      dimensions: directive?.Dimensions.flat() ?? [],
      ...(emf.kind === undefined ? {} : { kind: emf.kind }),
    }));
  });
}

const names = (emitted: Emitted[]) => emitted.map((m) => m.name).sort();

const mitigatedNow: Partial<Incident> = {
  mitigatedAt: '2025-03-01T12:02:00.000Z',
  lastObservedAt: '2025-03-01T12:02:00.000Z',
};
const resolved: Partial<Incident> = {
  status: 'resolved',
  severity: 'info',
  resolvedAt: '2025-03-01T12:30:00.000Z',
  lastObservedAt: '2025-03-01T12:30:00.000Z',
};

describe('recordIncidentMetrics', () => {
  it('counts an opened incident by kind, in its own EMF document', () => {
    const emitted = record(event('opened'));
    expect(emitted).toEqual([
      {
        name: 'IncidentsOpened',
        unit: 'Count',
        value: 1,
        dimensions: ['service', 'kind'],
        kind: 'connection-down',
      },
    ]);
  });

  it('counts a reopen as opened', () => {
    expect(names(record(event('reopened', { reopenCount: 1, kind: 'flapping' })))).toEqual([
      'IncidentsOpened',
    ]);
  });

  it('records failovers and a new mitigation without the kind dimension', () => {
    const emitted = record(event('opened', mitigatedNow), 2);
    expect(names(emitted)).toEqual(['Failovers', 'IncidentsOpened', 'TimeToMitigate']);
    const failovers = emitted.find((m) => m.name === 'Failovers');
    const ttm = emitted.find((m) => m.name === 'TimeToMitigate');
    expect(failovers).toEqual({ name: 'Failovers', unit: 'Count', value: 2, dimensions: ['service'] });
    expect(ttm).toEqual({ name: 'TimeToMitigate', unit: 'Seconds', value: 150, dimensions: ['service'] });
  });

  it('does not count an earlier mitigation again on an update', () => {
    const updated = event('updated', {
      mitigatedAt: '2025-03-01T12:02:00.000Z',
      lastObservedAt: '2025-03-01T12:05:00.000Z',
    });
    expect(record(updated)).toEqual([]);
  });

  it('counts a resolve by kind with its time to resolve', () => {
    const emitted = record(event('resolved', { ...resolved, mitigatedAt: '2025-03-01T12:02:00.000Z' }));
    expect(names(emitted)).toEqual(['IncidentsResolved', 'TimeToResolve']);
    expect(emitted.find((m) => m.name === 'IncidentsResolved')).toMatchObject({ kind: 'connection-down' });
    expect(emitted.find((m) => m.name === 'TimeToResolve')).toEqual({
      name: 'TimeToResolve',
      unit: 'Seconds',
      value: 1830,
      dimensions: ['service'],
    });
  });

  it('counts the mitigation a resolve brings when nothing mitigated before', () => {
    const emitted = record(event('resolved', { ...resolved, mitigatedAt: resolved.lastObservedAt ?? '' }));
    expect(names(emitted)).toEqual(['IncidentsResolved', 'TimeToMitigate', 'TimeToResolve']);
  });

  it('counts a notice (opened and resolved at once) mitigation once, on the resolve', () => {
    const notice = { ...resolved, kind: 'maintenance' as const, mitigatedAt: resolved.lastObservedAt ?? '' };
    expect(names(record(event('opened', notice)))).toEqual(['IncidentsOpened']);
  });
});
