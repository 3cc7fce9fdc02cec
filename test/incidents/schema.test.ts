import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PublishError } from '../../lib/incidents/errors.js';
import {
  INCIDENT_DETAIL_TYPES,
  INCIDENT_SOURCE,
  IncidentEventDetailSchema,
  IncidentEventSchema,
  incidentEventEntry,
} from '../../lib/incidents/schema.js';
import { entry, event, ID, leakyEvent, SECRET } from './publish-fixtures.js';

const BUS = 'tunnel-warden-incidents';

function detailOf(e: Parameters<typeof incidentEventEntry>[0]): Record<string, unknown> {
  return JSON.parse(incidentEventEntry(e, BUS).Detail ?? 'null') as Record<string, unknown>;
}

/** `path: type` for every property of a JSON Schema, `?` when optional: the contract consumers code against. */
function shape(schema: unknown, path = ''): string[] {
  const node = schema as {
    type?: string;
    properties?: Record<string, unknown>;
    required?: string[];
    items?: unknown;
    enum?: unknown[];
    const?: unknown;
    format?: string;
  };
  if (node.properties !== undefined) {
    return Object.entries(node.properties).flatMap(([key, child]) => {
      const optional = node.required?.includes(key) ? '' : '?';
      return shape(child, `${path}${path === '' ? '' : '.'}${key}${optional}`);
    });
  }
  if (node.items !== undefined) return shape(node.items, `${path}[]`);
  const type = node.const !== undefined ? JSON.stringify(node.const) : (node.enum?.join('|') ?? node.type);
  return [`${path}: ${type}${node.format === undefined ? '' : ` (${node.format})`}`];
}

describe('incident event entry', () => {
  it('builds the PutEvents entry: bus, source, detail-type, no resources, time of the newest entry', () => {
    const e = event('opened', {}, [
      entry('2025-03-01T12:00:02.000Z', 'route replaced'),
      entry('2025-03-01T12:00:01.000Z', 'failover planned', { type: 'plan' }),
    ]);
    const built = incidentEventEntry(e, BUS);
    expect(built).toEqual({
      EventBusName: BUS,
      Source: 'tunnel-warden',
      DetailType: 'Incident Opened',
      Detail: expect.any(String),
      Resources: [],
      Time: new Date('2025-03-01T12:00:02.000Z'),
    });
    expect(JSON.parse(built.Detail ?? '')).toEqual({
      schemaVersion: '1.0',
      change: 'opened',
      incident: {
        id: ID,
        subject: 'seoul-dc',
        kind: 'connection-down',
        severity: 'major',
        peakSeverity: 'major',
        status: 'open',
        summary: 'primary path down: vpn-0a1 both tunnels DOWN',
        startedAt: '2025-03-01T11:59:30.000Z',
        detectedAt: '2025-03-01T12:00:00.000Z',
        durations: { ttd: 30 },
        reopenCount: 0,
      },
      latest: [
        { at: '2025-03-01T12:00:01.000Z', type: 'plan', summary: 'failover planned' },
        { at: '2025-03-01T12:00:02.000Z', type: 'action', summary: 'route replaced' },
      ],
      changeId: `${ID}#v1#opened`,
    });
  });

  it('parses with the published schema, envelope included, for every change', () => {
    const changes = ['opened', 'reopened', 'updated', 'resolved'] as const;
    for (const change of changes) {
      const resolved = change === 'resolved';
      const e = event(change, {
        version: 4,
        reopenCount: change === 'reopened' ? 1 : 0,
        ...(resolved
          ? {
              status: 'resolved',
              severity: 'info',
              mitigatedAt: '2025-03-01T12:01:00.000Z',
              resolvedAt: '2025-03-01T12:10:00.000Z',
            }
          : {}),
      });
      const built = incidentEventEntry(e, BUS);
      const parsed = IncidentEventSchema.parse({
        version: '0',
        id: 'evt',
        source: built.Source,
        'detail-type': built.DetailType,
        detail: JSON.parse(built.Detail ?? ''),
      });
      expect(parsed.detail.change).toBe(change);
      expect(parsed.detail.changeId).toBe(`${ID}#v4#${change}`);
      expect(INCIDENT_DETAIL_TYPES).toContain(parsed['detail-type']);
    }
  });

  it('publishes a reopen as Incident Opened with change reopened, a resolve with its durations', () => {
    expect(incidentEventEntry(event('reopened', { reopenCount: 1 }), BUS).DetailType).toBe('Incident Opened');
    const resolved = event('resolved', {
      status: 'resolved',
      mitigatedAt: '2025-03-01T12:01:00.000Z',
      resolvedAt: '2025-03-01T12:10:00.000Z',
    });
    expect(incidentEventEntry(resolved, BUS).DetailType).toBe('Incident Resolved');
    expect(detailOf(resolved).incident).toMatchObject({ durations: { ttd: 30, ttm: 90, ttr: 630 } });
  });

  it('says which path a failure is on, when it is on one', () => {
    expect(detailOf(event('opened', { path: 'backup' })).incident).toMatchObject({ path: 'backup' });
    expect(detailOf(event('opened')).incident).not.toHaveProperty('path');
  });

  it('falls back to lastObservedAt for Time, and keeps only the newest 10 entries', () => {
    const bare = event('updated', { lastObservedAt: '2025-03-01T12:05:00.000Z' }, []);
    expect(incidentEventEntry(bare, BUS).Time).toEqual(new Date('2025-03-01T12:05:00.000Z'));
    const many = Array.from({ length: 13 }, (_, i) =>
      entry(`2025-03-01T12:00:${String(10 + i).padStart(2, '0')}.000Z`, `step ${i}`),
    );
    const latest = detailOf(event('updated', {}, many)).latest as { summary: string }[];
    expect(latest.map((l) => l.summary)).toEqual(many.slice(3).map((m) => m.summary));
  });

  it('publishes no internal field (version, lastObservedAt, entry ids, entry detail)', () => {
    const text = incidentEventEntry(event('updated'), BUS).Detail ?? '';
    for (const internal of ['lastObservedAt', '"version"', 'entryId', 'incidentId', '"detail"']) {
      expect(text).not.toContain(internal);
    }
  });

  it('never carries a pre-shared key', () => {
    expect(incidentEventEntry(leakyEvent(), BUS).Detail).not.toContain(SECRET);
  });

  it('refuses a detail that breaks the schema with a PublishError naming the field', () => {
    const broken = event('opened', { startedAt: 'yesterday' });
    expect(() => incidentEventEntry(broken, BUS)).toThrow(PublishError);
    expect(() => incidentEventEntry(broken, BUS)).toThrow(/incident\.startedAt/);
  });
});

describe('published schema 1.0', () => {
  const valid = detailOf(event('opened'));

  it.each([
    'schemaVersion',
    'change',
    'incident',
    'latest',
    'changeId',
    'incident.id',
    'incident.subject',
    'incident.kind',
    'incident.severity',
    'incident.peakSeverity',
    'incident.status',
    'incident.summary',
    'incident.startedAt',
    'incident.detectedAt',
    'incident.durations',
    'incident.durations.ttd',
    'incident.reopenCount',
    'latest.0.at',
    'latest.0.type',
    'latest.0.summary',
  ])('requires %s', (path) => {
    const copy = structuredClone(valid);
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    const parent = keys.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, copy);
    delete parent[last];
    expect(IncidentEventDetailSchema.safeParse(copy).success).toBe(false);
  });

  it('rejects a changeId of another incident and a wrong source', () => {
    expect(IncidentEventDetailSchema.safeParse({ ...valid, changeId: 'inc-other#v1#opened' }).success).toBe(
      false,
    );
    expect(
      IncidentEventSchema.safeParse({ source: 'other', 'detail-type': 'Incident Opened', detail: valid })
        .success,
    ).toBe(false);
    expect(
      IncidentEventSchema.safeParse({
        source: INCIDENT_SOURCE,
        'detail-type': 'Incident Resolved',
        detail: valid,
      }).success,
    ).toBe(false);
  });

  it('keeps a stable shape', () => {
    expect(shape(z.toJSONSchema(IncidentEventDetailSchema))).toMatchInlineSnapshot(`
      [
        "schemaVersion: "1.0"",
        "change: opened|reopened|updated|resolved",
        "incident.id: string",
        "incident.subject: string",
        "incident.kind: site-unreachable|connection-down|gray-failure|flapping|redundancy-lost|maintenance|config-drift|drill",
        "incident.severity: critical|major|minor|info",
        "incident.peakSeverity: critical|major|minor|info",
        "incident.status: open|resolved",
        "incident.summary: string",
        "incident.path?: string",
        "incident.startedAt: string (date-time)",
        "incident.detectedAt: string (date-time)",
        "incident.mitigatedAt?: string (date-time)",
        "incident.resolvedAt?: string (date-time)",
        "incident.durations.ttd: integer",
        "incident.durations.ttm?: integer",
        "incident.durations.ttr?: integer",
        "incident.reopenCount: integer",
        "latest[].at: string (date-time)",
        "latest[].type: signal|plan|action|state|note",
        "latest[].summary: string",
        "changeId: string",
      ]
    `);
  });
});
