import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../lib/config/errors.js';
import { parseConfig, sitePolicy } from '../../lib/config/load.js';
import type { Config } from '../../lib/config/schema.js';
import { MAX_FLAP_TRANSITIONS } from '../../lib/config/schema.js';
import { expiryOf } from '../../lib/incidents/dynamo-items.js';
import { DynamoIncidentStore } from '../../lib/incidents/dynamo-store.js';
import { DynamoHistoryStore, MAX_TRANSITIONS } from '../../lib/store/history.js';
import { siteKey } from '../../lib/store/table.js';
import { incident } from '../incidents/publish-fixtures.js';

/**
 * "Every value that validates also runs": for any configuration the schema accepts, each runtime
 * consumer of a knob accepts it too — the incident store and its TTL, the history store and its TTL,
 * flap damping against the history cap, table keys — and the schema names the field of any it refuses.
 */

const DAY_MS = 86_400_000;
const NOW = new Date('2026-03-02T10:00:00.000Z');
const dynamo = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetItemCommand).resolves({}).on(PutItemCommand).resolves({});
});

interface Knobs {
  holdDown?: string;
  relapseWindow?: string;
  incidentRetention?: string;
  maxChangesPerRun?: number;
  flapping?: { maxTransitions?: number; window?: string };
  siteName?: string;
  sitePolicy?: { holdDown?: string; flapping?: { maxTransitions?: number; window?: string } };
}

function configText(knobs: Knobs): string {
  const { siteName = 'seoul-dc', sitePolicy: policy, ...defaults } = knobs;
  return stringify({
    version: 1,
    defaults,
    sites: [
      {
        name: siteName,
        prefixes: ['10.3.0.0/20'],
        routeTables: { transitGateway: ['tgw-rtb-0a1b2c3d4e5f60001'] },
        paths: [
          {
            name: 'primary',
            vpn: 'vpn-0a1b2c3d4e5f60001',
            transitGatewayAttachment: 'tgw-attach-0a1b2c3d4e5f60001',
          },
          {
            name: 'backup',
            vpn: 'vpn-0a1b2c3d4e5f60002',
            transitGatewayAttachment: 'tgw-attach-0a1b2c3d4e5f60002',
          },
        ],
        ...(policy === undefined ? {} : { policy }),
      },
    ],
  });
}

/** What lib/runtime/remediation.ts and the stores do with each knob, run for real against a mocked table. */
async function runtimeAccepts(config: Config): Promise<void> {
  const retentionDays = config.defaults.incidentRetention / DAY_MS;
  // remediation.ts builds the store this way on every run; it refuses a retention it cannot use.
  new DynamoIncidentStore(client, 'table', { retentionDays });
  const resolved = incident({ status: 'resolved', resolvedAt: NOW.toISOString() });
  const expiresAt = expiryOf(resolved, retentionDays);
  expect(Number.isSafeInteger(expiresAt)).toBe(true);
  expect(new Date((expiresAt ?? 0) * 1000).toISOString() > NOW.toISOString()).toBe(true);
  // A relapse inside the window must still find the incident it would reopen.
  expect(config.defaults.relapseWindow).toBeLessThanOrEqual(config.defaults.incidentRetention);
  for (const site of config.sites) {
    const policy = sitePolicy(config, site);
    expect(Buffer.byteLength(siteKey(site.name))).toBeLessThanOrEqual(2048); // DynamoDB partition key
    expect(policy.flapping.maxTransitions).toBeLessThan(MAX_TRANSITIONS); // reachable within the history cap
    expect(policy.maxChangesPerRun).toBeGreaterThanOrEqual(1);
    // The policy measures the hold-down and the flap window back from now: both must stay dates.
    expect(new Date(NOW.getTime() - policy.holdDownMs).toISOString()).toMatch(/^\d{4}-/);
    expect(new Date(NOW.getTime() - policy.flapping.windowMs).toISOString()).toMatch(/^\d{4}-/);
    dynamo.resetHistory();
    const history = await new DynamoHistoryStore(client, 'table').recordAndLoad(
      site.name,
      [{ vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIp: '198.51.100.10', at: NOW.toISOString() }],
      NOW,
      policy.flapping.windowMs,
    );
    expect(history.transitions).toHaveLength(1);
    const put = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    const ttl = put?.Item?.expiresAt?.N ?? '';
    expect(ttl).toMatch(/^\d{1,38}$/); // a DynamoDB number
    expect(Number(ttl) * 1000).toBeGreaterThan(NOW.getTime());
  }
}

function outcome(knobs: Knobs): Config | ConfigError {
  try {
    return parseConfig(configText(knobs), 'knobs.yml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

describe('every configuration value that validates also runs', () => {
  it.each<[string, Knobs, string, string]>([
    [
      'a zero retention',
      { incidentRetention: '0d' },
      'defaults.incidentRetention',
      'must be between 1d and 3650d, got 0s',
    ],
    ['a retention in seconds', { incidentRetention: '90s' }, 'defaults.incidentRetention', 'DynamoDB TTL'],
    [
      'an astronomical retention',
      { incidentRetention: '99999999999999999999d' },
      'defaults.incidentRetention',
      'is longer than 3650d',
    ],
    [
      'a relapse window past the retention',
      { relapseWindow: '100d' },
      'defaults.relapseWindow',
      'longer than incidentRetention (90d)',
    ],
    [
      'an astronomical hold-down',
      { holdDown: '9'.repeat(400).concat('s') },
      'defaults.holdDown',
      'is longer than 3650d',
    ],
    [
      'a site hold-down past ten years',
      { sitePolicy: { holdDown: '3651d' } },
      'sites[0].policy.holdDown',
      'longer than 3650d',
    ],
    [
      'a zero flap window',
      { flapping: { window: '0s' } },
      'defaults.flapping.window',
      'must be between 1m and 3650d',
    ],
    [
      'a site flap window under a minute',
      { sitePolicy: { flapping: { window: '59s' } } },
      'sites[0].policy.flapping.window',
      'never holds two transitions',
    ],
    [
      'a flap threshold past the history cap',
      { flapping: { maxTransitions: 500 } },
      'defaults.flapping.maxTransitions',
      'last 500 transitions',
    ],
    ['no changes per run', { maxChangesPerRun: 0 }, 'defaults.maxChangesPerRun', '>=1'],
    [
      'a site name too long for a key',
      { siteName: 'a'.repeat(65) },
      'sites[0].name',
      'at most 64 characters',
    ],
  ])('refuses %s, naming the field', (_, knobs, fieldPath, problem) => {
    const result = outcome(knobs);
    expect(result).toBeInstanceOf(ConfigError);
    expect((result as ConfigError).fieldPath).toBe(fieldPath);
    expect((result as ConfigError).message).toContain(problem);
  });

  it.each<[string, Knobs]>([
    ['the defaults', {}],
    ['the shortest retention', { incidentRetention: '1d', relapseWindow: '1d' }],
    [
      'the longest durations',
      {
        incidentRetention: '3650d',
        relapseWindow: '3650d',
        holdDown: '3650d',
        flapping: { window: '3650d' },
      },
    ],
    ['no hold-down and no relapse window', { holdDown: '0s', relapseWindow: '0s' }],
    [
      'the shortest flap window and the highest threshold',
      { flapping: { window: '1m', maxTransitions: MAX_FLAP_TRANSITIONS } },
    ],
    ['a 64-character site name', { siteName: 'a'.repeat(64) }],
  ])('accepts and runs %s', async (_, knobs) => {
    const result = outcome(knobs);
    if (result instanceof ConfigError) throw result;
    await runtimeAccepts(result);
  });

  /** Mostly plausible values, with the extremes mixed in: both sides of every bound get reached. */
  const extremeDuration = fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.stringMatching(/^[1-9]\d{15,30}$/)),
      fc.constantFrom('s', 'm', 'h', 'd'),
    )
    .map(([amount, unit]) => `${amount}${unit}`);
  const durationOf = (max: number, units: readonly string[]) =>
    fc.oneof(
      {
        arbitrary: fc
          .tuple(fc.integer({ min: 0, max }), fc.constantFrom(...units))
          .map(([n, u]) => `${n}${u}`),
        weight: 8,
      },
      { arbitrary: extremeDuration, weight: 1 },
    );
  const count = fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 30 }), weight: 8 },
    {
      arbitrary: fc.oneof(fc.integer({ min: -1, max: 600 }), fc.constant(Number.MAX_SAFE_INTEGER)),
      weight: 2,
    },
  );
  const flapping = fc.record(
    { maxTransitions: count, window: durationOf(120, ['s', 'm', 'h']) },
    { requiredKeys: [] },
  );
  const knobs: fc.Arbitrary<Knobs> = fc.record(
    {
      holdDown: durationOf(120, ['s', 'm', 'h']),
      relapseWindow: durationOf(60, ['m', 'h']),
      incidentRetention: durationOf(400, ['h', 'd']),
      maxChangesPerRun: count,
      flapping,
      siteName: fc.oneof(
        { arbitrary: fc.constantFrom('seoul-dc', 'a', 'x1'), weight: 4 },
        { arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => 'a'.repeat(n)), weight: 1 },
      ),
      sitePolicy: fc.record({ holdDown: durationOf(120, ['s', 'm', 'h']), flapping }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );

  it('property: whatever validates, the runtime accepts; whatever does not is a ConfigError', async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(knobs, async (k) => {
        const result = outcome(k);
        if (result instanceof ConfigError) {
          expect(result.message.startsWith('knobs.yml: ')).toBe(true);
          return;
        }
        await runtimeAccepts(result);
        ran += 1;
      }),
      { numRuns: 400 },
    );
    // The generator must reach both sides of every bound, not only refusals.
    expect(ran).toBeGreaterThan(40);
  });
});
