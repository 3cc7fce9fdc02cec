import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/domain/signal.js';
import { EventParseError } from '../../lib/events/errors.js';
import { parseAlarmEvent } from '../../lib/events/parse.js';
import { loadEvent } from '../helpers/fixtures.js';

function signalOf(name: string): Signal {
  const outcome = parseAlarmEvent(loadEvent(name));
  if (outcome.type !== 'signal') throw new Error(`expected a signal from ${name}, got: ${outcome.reason}`);
  return outcome.signal;
}

describe('CloudWatch alarm state change → Signal', () => {
  it.each([
    [
      'aws.cloudwatch/alarm-vpn-any-tunnel-down.json',
      'tunnel-down',
      [{ vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIps: [] }],
    ],
    [
      'aws.cloudwatch/alarm-vpn-all-tunnels-down.json',
      'connection-down',
      [{ vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIps: [] }],
    ],
    ['aws.cloudwatch/alarm-tunnel-ip-down.json', 'tunnel-down', [{ tunnelIps: ['198.51.100.10'] }]],
    [
      'aws.cloudwatch/alarm-tunnel-ok.json',
      'tunnel-up',
      [{ vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIps: ['198.51.100.11'] }],
    ],
    [
      'aws.cloudwatch/alarm-metric-math-best-tunnel.json',
      'connection-down',
      [{ tunnelIps: ['198.51.100.10'] }, { tunnelIps: ['198.51.100.11'] }],
    ],
    [
      'aws.cloudwatch/alarm-insufficient-data.json',
      'telemetry-missing',
      [{ vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIps: [] }],
    ],
    [
      'aws.cloudwatch/alarm-initial-ok.json',
      'tunnel-up',
      [{ vpnId: 'vpn-0a1b2c3d4e5f60003', tunnelIps: [] }],
    ],
  ])('%s becomes %s', (name, kind, targets) => {
    const signal = signalOf(name);
    expect(signal.kind).toBe(kind);
    expect(signal).toMatchObject({ targets });
  });

  it('keeps the alarm evidence, with reasonData parsed from its JSON string', () => {
    const signal = signalOf('aws.cloudwatch/alarm-vpn-any-tunnel-down.json');
    expect(signal).toMatchObject({
      origin: {
        source: 'aws.cloudwatch',
        eventId: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
        account: '111122223333',
        region: 'us-east-1',
        occurredAt: '2026-03-02T10:05:40.989Z',
      },
      alarm: {
        alarmName: 'vpn-0a1b2c3d4e5f60001-any-tunnel-down',
        alarmArn: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:vpn-0a1b2c3d4e5f60001-any-tunnel-down',
        state: 'ALARM',
        previousState: 'OK',
        reasonData: { statistic: 'Minimum', recentDatapoints: [0.5], threshold: 1 },
      },
    });
  });

  it('accepts a first transition whose previous state has no timestamp or reasonData', () => {
    const event = loadEvent('aws.cloudwatch/alarm-initial-ok.json');
    const detail = event.detail as { previousState: Record<string, unknown> };
    delete detail.previousState.timestamp;
    expect(parseAlarmEvent(event)).toMatchObject({ type: 'signal', signal: { kind: 'tunnel-up' } });
  });

  it('ignores an alarm that does not watch AWS/VPN TunnelState', () => {
    const outcome = parseAlarmEvent(loadEvent('other/alarm-ec2-cpu.json'));
    expect(outcome).toEqual({
      type: 'ignored',
      reason: expect.stringContaining('does not watch AWS/VPN TunnelState'),
    });
  });

  it('ignores an alarm on another AWS/VPN metric (TunnelDataIn is not liveness)', () => {
    const event = loadEvent('aws.cloudwatch/alarm-vpn-any-tunnel-down.json');
    const metrics = (
      event.detail as { configuration: { metrics: { metricStat: { metric: { name: string } } }[] } }
    ).configuration.metrics;
    for (const m of metrics) m.metricStat.metric.name = 'TunnelDataIn';
    expect(parseAlarmEvent(event).type).toBe('ignored');
  });

  it.each([
    [
      'malformed/alarm-reasondata-not-json.json',
      'bad00001-0000-4000-8000-000000000001',
      'detail.state.reasonData',
      'expected a JSON object encoded as a string',
    ],
    [
      'malformed/alarm-unknown-state.json',
      'bad00002-0000-4000-8000-000000000002',
      'detail.state.value',
      'OK',
    ],
    ['malformed/alarm-missing-state.json', 'bad00003-0000-4000-8000-000000000003', 'detail.state', ''],
    [
      'malformed/alarm-bad-vpn-id.json',
      'bad00004-0000-4000-8000-000000000004',
      'detail.configuration.metrics[0].metricStat.metric.dimensions.VpnId',
      'expected a VPN connection id',
    ],
    [
      'malformed/alarm-vpn-metric-without-dimensions.json',
      'bad00005-0000-4000-8000-000000000005',
      'detail.configuration.metrics[0].metricStat.metric.dimensions',
      'must have a VpnId or TunnelIpAddress dimension',
    ],
  ])('%s is a typed error naming the event id and field', (name, eventId, fieldPath, problem) => {
    const parse = () => parseAlarmEvent(loadEvent(name));
    expect(parse).toThrow(EventParseError);
    try {
      parse();
    } catch (error) {
      if (!(error instanceof EventParseError)) throw error;
      expect(error.eventId).toBe(eventId);
      expect(error.fieldPath).toBe(fieldPath);
      expect(error.message).toContain(`Invalid aws.cloudwatch event ${eventId}: ${fieldPath}: `);
      expect(error.message).toContain(problem);
      expect(error.cause).toBeDefined();
    }
  });
});
