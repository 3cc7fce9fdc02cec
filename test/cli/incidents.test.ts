import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/cli/errors.js';
import { humanDuration, IncidentNotFoundError, incidentsCommand } from '../../lib/cli/incidents.js';
import { DynamoIncidentStore } from '../../lib/incidents/dynamo-store.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import type { Incident, TimelineEntry } from '../../lib/incidents/model.js';
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
    expect(await incidentsCommand(['list'], { json: false }, store)).toBe(LIST.join('\n'));
  });

  it('filters by status and limits', async () => {
    const store = await seeded();
    const list = (...args: string[]) => incidentsCommand(['list', ...args], { json: false }, store);
    // Columns are as wide as the rows shown, so a filtered table is narrower.
    expect(await list('--open')).toBe(OPEN_ONLY);
    expect(await list('--resolved')).toBe(RESOLVED_ONLY);
    expect(await list('--limit', '1')).toBe(OPEN_ONLY);
    expect(await incidentsCommand(['list', '--open'], { json: false }, new InMemoryIncidentStore())).toBe(
      'no open incidents',
    );
  });

  it('prints the incidents as JSON', async () => {
    const out = await incidentsCommand(['list'], { json: true }, await seeded());
    expect(JSON.parse(out)).toEqual([OPEN, RESOLVED]);
  });
});

describe('incidents show', () => {
  it('renders the fields, the durations and the timeline, marking each new day', async () => {
    expect(await incidentsCommand(['show', RESOLVED.id], { json: false }, await seeded())).toBe(SHOW);
  });

  it('says when there is no timeline and what is not known yet', async () => {
    const out = await incidentsCommand(['show', OPEN.id], { json: false }, await seeded());
    expect(out).toContain('\nmitigated      -\nresolved       -\n');
    expect(out.endsWith('timeline (0 entries)\n(none)')).toBe(true);
  });

  it('prints the incident and its timeline as JSON', async () => {
    const out = await incidentsCommand(['show', RESOLVED.id], { json: true }, await seeded());
    expect(JSON.parse(out)).toEqual({ incident: RESOLVED, timeline: TIMELINE });
  });

  it('names the id and the table when the incident is unknown', async () => {
    const run = incidentsCommand(['show', 'inc-nope'], { json: false, table: 'tw-prod' }, await seeded());
    await expect(run).rejects.toThrow(IncidentNotFoundError);
    await expect(run).rejects.toThrow('no incident inc-nope in table tw-prod');
  });
});

describe('incidents usage errors', () => {
  it.each([
    [[], 'incidents needs a subcommand'],
    [['close'], 'unknown incidents subcommand "close"'],
    [['show'], 'incidents show needs an incident id'],
    [['show', 'a', 'b'], 'incidents show takes one id, got also "b"'],
    [['show', 'a', '--limit', '2'], '--limit apply to incidents list only'],
    [['list', 'extra'], 'incidents list takes no arguments, got "extra"'],
    [['list', '--open', '--resolved'], '--open and --resolved exclude each other'],
    [['list', '--limit', '0'], '--limit must be a whole number from 1 to 1000, got "0"'],
    [['list', '--limit', '2.5'], 'got "2.5"'],
    [['list', '--limit', 'ten'], 'got "ten"'],
    [['list', '--limit', '1001'], 'got "1001"'],
    [['list', '--since', 'x'], "Unknown option '--since'"],
  ])('%j', async (args, message) => {
    const run = incidentsCommand(args, { json: false }, new InMemoryIncidentStore());
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });
});

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

describe('tunnel-warden incidents (the real CLI against dynalite)', () => {
  let local: LocalTable;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    local = await startDynalite('cli-incidents');
    await new DynamoIncidentStore(local.client, local.table).save(RESOLVED, 0);
    const endpoint = await local.client.config.endpoint?.();
    const { AWS_PROFILE: _, AWS_SESSION_TOKEN: __, AWS_ENDPOINT_URL: ___, ...inherited } = process.env;
    env = {
      ...inherited,
      TUNNEL_WARDEN_TABLE: local.table,
      // Only DynamoDB is pointed at dynalite; the guard, were it applied, would override AWS_ENDPOINT_URL.
      AWS_ENDPOINT_URL_DYNAMODB: `http://${endpoint?.hostname}:${endpoint?.port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
      AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    };
  });
  afterAll(async () => {
    await local?.close();
  });

  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['bin/tunnel-warden.mjs', 'incidents', ...args],
        // Each spawn transpiles the CLI; on a loaded 2-core machine that alone can take seconds.
        { env, timeout: 60_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('lists, shows, and exits 1 for an unknown id and 2 for a usage mistake', async () => {
    const [list, show, missing, usage] = await Promise.all([
      cli('list', '--resolved', '--limit', '5'),
      cli('show', RESOLVED.id, '--json'),
      cli('show', 'inc-nope'),
      cli('list', '--limit', 'ten'),
    ]);
    expect(list).toMatchObject({ code: 0, stdout: `${RESOLVED_ONLY}\n` });
    expect(JSON.parse(show.stdout)).toEqual({ incident: RESOLVED, timeline: [] });
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(`tunnel-warden: no incident inc-nope in table ${local.table}\n`);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--limit must be a whole number from 1 to 1000, got "ten"');
  }, 120_000);
});
