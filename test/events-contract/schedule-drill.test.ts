import { describe, expect, it } from 'vitest';
import { EventParseError } from '../../lib/events/errors.js';
import { type InvocationContext, parseDrillInput, parseScheduleEvent } from '../../lib/events/parse.js';
import { loadEvent } from '../helpers/fixtures.js';

const invocation: InvocationContext = {
  requestId: 'req-1',
  account: '111122223333',
  region: 'us-east-1',
  now: '2026-03-02T11:00:00.000Z',
};

const REPLACE = { site: 'seoul-dc', scenario: 'replace-tunnel', tunnelIp: '198.51.100.10' } as const;

describe('scheduled events → sweep and keepalive signals', () => {
  it.each([
    ['aws.events/scheduled-health-check.json', 'sweep'],
    ['aws.events/scheduled-keepalive.json', 'keepalive'],
  ] as const)('%s becomes %s', (name, kind) => {
    const event = loadEvent(name);
    expect(parseScheduleEvent(event, kind)).toEqual({
      type: 'signal',
      signal: {
        kind,
        schedule: (event.resources as string[])[0],
        origin: expect.objectContaining({
          source: 'aws.events',
          eventId: event.id,
          occurredAt: expect.any(String),
        }),
      },
    });
  });

  it('rejects a non-schedule event sent to a schedule handler', () => {
    expect(() => parseScheduleEvent(loadEvent('aws.health/vpn-redundancy-loss.json'), 'sweep')).toThrow(
      /Invalid aws.events event 78cf314f-47ba-4d9b-7c24-a3345b103512: source: /,
    );
  });
});

describe('drill requests → drill signal', () => {
  it('parses a tunnel-warden.drill event, dry-run by default', () => {
    expect(parseDrillInput(loadEvent('tunnel-warden.drill/drill-requested.json'), invocation)).toMatchObject({
      signal: { kind: 'drill', drill: { site: 'seoul-dc', scenario: 'connection-down', mode: 'dry-run' } },
    });
  });

  it('parses a direct invocation payload and takes its origin from the Lambda context', () => {
    expect(parseDrillInput({ site: 'busan-dc', scenario: 'tunnel-down' }, invocation)).toEqual({
      type: 'signal',
      signal: {
        kind: 'drill',
        drill: { site: 'busan-dc', scenario: 'tunnel-down', mode: 'dry-run' },
        origin: {
          source: 'manual',
          detailType: 'Drill Invocation',
          eventId: 'req-1',
          account: '111122223333',
          region: 'us-east-1',
          occurredAt: '2026-03-02T11:00:00.000Z',
        },
      },
    });
  });

  it('carries a replace-tunnel drill traffic probe and maintenance choice to the signal', () => {
    const payload = {
      ...REPLACE,
      trafficProbe: { tunnelIp: '198.51.100.11', passedAt: '2026-03-02T09:58:00Z' },
      applyPendingMaintenance: true,
    };
    expect(parseDrillInput(payload, invocation)).toMatchObject({
      signal: {
        drill: {
          trafficProbe: { tunnelIp: '198.51.100.11', passedAt: '2026-03-02T09:58:00Z' },
          applyPendingMaintenance: true,
        },
      },
    });
  });

  it('accepts a live drill only with the site name typed as confirmation', () => {
    const live = { site: 'seoul-dc', scenario: 'connection-down', mode: 'live', confirm: 'seoul-dc' };
    expect(parseDrillInput(live, invocation)).toMatchObject({ signal: { drill: { mode: 'live' } } });
    expect(() => parseDrillInput({ ...live, confirm: 'yes' }, invocation)).toThrow(
      /confirm: a live drill changes real routes/,
    );
  });

  it.each([
    ['malformed/drill-unknown-scenario.json', 'detail.scenario'],
    ['malformed/drill-live-without-confirm.json', 'detail.confirm'],
  ])('%s is a typed error at %s', (name, fieldPath) => {
    expect(() => parseDrillInput(loadEvent(name), invocation)).toThrow(
      expect.objectContaining({ name: 'EventParseError', fieldPath }),
    );
  });

  it.each([
    [{ site: 'seoul-dc', scenario: 'replace-tunnel' }, 'tunnelIp'],
    [{ site: '', scenario: 'connection-down' }, 'site'],
    [{ site: 'seoul-dc', scenario: 'connection-down', extra: 1 }, ''],
    [{ site: 'seoul-dc', scenario: 'tunnel-down', tunnelIp: '300.1.1.1' }, 'tunnelIp'],
    [
      { ...REPLACE, trafficProbe: { tunnelIp: '198.51.100.11', passedAt: 'just now' } },
      'trafficProbe.passedAt',
    ],
    [
      { ...REPLACE, trafficProbe: { tunnelIp: '198.51.100', passedAt: '2026-03-02T09:58:00Z' } },
      'trafficProbe.tunnelIp',
    ],
    [{ ...REPLACE, trafficProbe: { tunnelIp: '198.51.100.11' } }, 'trafficProbe.passedAt'],
    [{ ...REPLACE, applyPendingMaintenance: 'yes' }, 'applyPendingMaintenance'],
  ])('rejects the payload %j at "%s"', (payload, fieldPath) => {
    try {
      parseDrillInput(payload, invocation);
      expect.unreachable('the payload should not parse');
    } catch (error) {
      expect(error).toBeInstanceOf(EventParseError);
      expect(error).toMatchObject({ fieldPath });
    }
  });
});
