import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  humanDuration,
  IncidentNotFoundError,
  listIncidents,
  showIncident,
} from '../../lib/cli/incidents.js';
import { DynamoIncidentStore } from '../../lib/incidents/dynamo-store.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import type { Incident, TimelineEntry } from '../../lib/incidents/model.js';
import { cli } from '../helpers/cli.js';
import { type LocalTable, startDynalite } from '../store/dynalite.js';

const RESOLVED: Incident = {
  id: 'inc-hq-20250301T120105',
  subject: 'hq',
  kind: 'connection-down',
  severity: 'minor',
  peakSeverity: 'critical',
  status: 'resolved',
  summary: 'both tunnels of vpn-0a1 were down',
  startedAt: '2025-03-01T12:00:00Z',
  detectedAt: '2025-03-01T12:01:05Z',
  mitigatedAt: '2025-03-01T12:03:10Z',
  resolvedAt: '2025-03-01T13:05:00Z',
  lastObservedAt: '2025-03-01T13:05:00Z',
  reopenCount: 1,
  version: 1,
};

const OPEN: Incident = {
  id: 'inc-vpn:vpn-0b2-20250302T235900',
  subject: 'vpn:vpn-0b2',
  kind: 'redundancy-lost',
  severity: 'minor',
  peakSeverity: 'minor',
  status: 'open',
  summary: 'a tunnel is down',
  startedAt: '2025-03-02T23:58:00Z',
  detectedAt: '2025-03-02T23:59:00Z',
  lastObservedAt: '2025-03-03T00:10:00Z',
  reopenCount: 0,
  version: 1,
};

const step = (at: string, type: TimelineEntry['type'], summary: string): TimelineEntry => ({
  incidentId: RESOLVED.id,
  at,
  type,
  entryId: `${type}-${at}`,
  summary,
  detail: { at },
});
const TIMELINE = [
  step('2025-03-01T12:00:00Z', 'signal', 'TunnelState alarm: ALARM'),
  step('2025-03-01T12:03:10Z', 'action', 'routes moved to vpn-0c3'),
  step('2025-03-02T00:00:01Z', 'state', 'resolved'),
];

async function seeded(): Promise<InMemoryIncidentStore> {
  const store = new InMemoryIncidentStore();
  await store.save(RESOLVED, 0);
  await store.save(OPEN, 0);
  await store.append(TIMELINE);
  return store;
}

const LIST = [
  'ID                               SUBJECT      KIND             SEVERITY  STATUS    STARTED               TTD   TTM    TTR',
  'inc-vpn:vpn-0b2-20250302T235900  vpn:vpn-0b2  redundancy-lost  minor     open      2025-03-02 23:58:00Z  1m    -      -',
  'inc-hq-20250301T120105           hq           connection-down  minor     resolved  2025-03-01 12:00:00Z  1m5s  3m10s  1h5m',
];

const OPEN_ONLY = `ID                               SUBJECT      KIND             SEVERITY  STATUS  STARTED               TTD  TTM  TTR
inc-vpn:vpn-0b2-20250302T235900  vpn:vpn-0b2  redundancy-lost  minor     open    2025-03-02 23:58:00Z  1m   -    -`;

const RESOLVED_ONLY = `ID                      SUBJECT  KIND             SEVERITY  STATUS    STARTED               TTD   TTM    TTR
inc-hq-20250301T120105  hq       connection-down  minor     resolved  2025-03-01 12:00:00Z  1m5s  3m10s  1h5m`;

const SHOW = `id             inc-hq-20250301T120105
subject        hq
status         resolved
kind           connection-down
severity       minor (peak critical)
summary        both tunnels of vpn-0a1 were down
started        2025-03-01 12:00:00Z
detected       2025-03-01 12:01:05Z  TTD 1m5s
mitigated      2025-03-01 12:03:10Z  TTM 3m10s
resolved       2025-03-01 13:05:00Z  TTR 1h5m
last observed  2025-03-01 13:05:00Z
reopened       1 time
version        1

timeline (3 entries)
12:00:00  signal  TunnelState alarm: ALARM
12:03:10  action  routes moved to vpn-0c3
2025-03-02
00:00:01  state   resolved`;

describe('incidents list', () => {
  it('renders a fixed-width table, newest first', async () => {
    const store = await seeded();
    expect(await listIncidents(store, {}, { json: false })).toBe(LIST.join('\n'));
  });

  it('filters by status and limits', async () => {
    const store = await seeded();
    const list = (options: Parameters<typeof listIncidents>[1]) =>
      listIncidents(store, options, { json: false });
    // Columns are as wide as the rows shown, so a filtered table is narrower.
    expect(await list({ status: 'open' })).toBe(OPEN_ONLY);
    expect(await list({ status: 'resolved' })).toBe(RESOLVED_ONLY);
    expect(await list({ limit: 1 })).toBe(OPEN_ONLY);
    expect(await listIncidents(new InMemoryIncidentStore(), { status: 'open' }, { json: false })).toBe(
      'no open incidents',
    );
  });

  it('prints the incidents as JSON', async () => {
    const out = await listIncidents(await seeded(), {}, { json: true });
    expect(JSON.parse(out)).toEqual([OPEN, RESOLVED]);
  });
});

describe('incidents show', () => {
  it('renders the fields, the durations and the timeline, marking each new day', async () => {
    expect(await showIncident(await seeded(), RESOLVED.id, { json: false })).toBe(SHOW);
  });

  it('says when there is no timeline and what is not known yet', async () => {
    const out = await showIncident(await seeded(), OPEN.id, { json: false });
    expect(out).toContain('\nmitigated      -\nresolved       -\n');
    expect(out.endsWith('timeline (0 entries)\n(none)')).toBe(true);
  });

  it('prints the incident and its timeline as JSON', async () => {
    const out = await showIncident(await seeded(), RESOLVED.id, { json: true });
    expect(JSON.parse(out)).toEqual({ incident: RESOLVED, timeline: TIMELINE });
  });

  it('names the id and the table when the incident is unknown', async () => {
    const run = showIncident(await seeded(), 'inc-nope', { json: false, table: 'tw-prod' });
    await expect(run).rejects.toThrow(IncidentNotFoundError);
    await expect(run).rejects.toThrow('no incident inc-nope in table tw-prod');
  });
});

// Usage mistakes (--limit ten, --open with --resolved, a missing id) are in program.test.ts.

describe('humanDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [60, '1m'],
    [130, '2m10s'],
    [3_600, '1h'],
    [3_661, '1h1m'],
    [90_061, '1d1h'],
    [172_800, '2d'],
  ])('%d s is %s', (seconds, text) => expect(humanDuration(seconds)).toBe(text));
});

describe('tunnel-warden incidents (the real CLI, in-process, against dynalite)', () => {
  let local: LocalTable;
  beforeAll(async () => {
    local = await startDynalite('cli-incidents');
    await new DynamoIncidentStore(local.client, local.table).save(RESOLVED, 0);
    const endpoint = await local.client.config.endpoint?.();
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    // Only DynamoDB is pointed at dynalite: anything else would go to a closed port.
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    vi.stubEnv('TUNNEL_WARDEN_TABLE', local.table);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', `http://${endpoint?.hostname}:${endpoint?.port}`);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLOCALTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local-test-secret');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await local?.close();
  });

  it('lists, shows, and exits 1 for an unknown id and 2 for a usage mistake', async () => {
    const list = await cli(['incidents', 'list', '--resolved', '--limit', '5']);
    const show = await cli(['incidents', 'show', RESOLVED.id, '--json']);
    const missing = await cli(['incidents', 'show', 'inc-nope']);
    const usage = await cli(['incidents', 'list', '--limit', 'ten']);
    expect(list).toEqual({ code: 0, stdout: `${RESOLVED_ONLY}\n`, stderr: '' });
    expect(JSON.parse(show.stdout)).toEqual({ incident: RESOLVED, timeline: [] });
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: `tunnel-warden: no incident inc-nope in table ${local.table}\n`,
    });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("argument 'ten' is invalid. expected a whole number from 1 to 1000");
  });
});
