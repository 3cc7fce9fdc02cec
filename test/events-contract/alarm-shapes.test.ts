import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/domain/signal.js';
import { EventParseError } from '../../lib/events/errors.js';
import { type InvocationContext, parseAlarmEvent } from '../../lib/events/parse.js';
import { idempotencyKeyOf } from '../helpers/dedupe.js';
import { loadEvent } from '../helpers/fixtures.js';

const invocation: InvocationContext = {
  requestId: 'req-alarm-action-1',
  account: '111122223333',
  region: 'us-east-1',
  now: '2026-03-02T10:05:41.200Z',
};

function signalOf(event: unknown): Signal {
  const outcome = parseAlarmEvent(event, invocation);
  if (outcome.type !== 'signal') throw new Error(`expected a signal, got: ${outcome.reason}`);
  return outcome.signal;
}

describe('Metrics Insights alarms: CloudWatch Alarm Contributor State Change → Signal', () => {
  it('takes the VPN of a GROUP BY VpnId contributor from alarmContributor.attributes', () => {
    const signal = signalOf(loadEvent('aws.cloudwatch/alarm-contributor-vpn-degraded.json'));
    expect(signal).toMatchObject({
      targets: [{ vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIps: [] }],
      origin: {
        source: 'aws.cloudwatch',
        detailType: 'CloudWatch Alarm Contributor State Change',
        eventId: '6d226bbc-07f0-9a31-3359-1736968f8ded',
        occurredAt: '2026-03-02T10:02:04.919Z',
      },
      alarm: {
        alarmName: 'tunnel-warden-prod-vpn-tunnel-state',
        alarmArn: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:tunnel-warden-prod-vpn-tunnel-state',
        state: 'ALARM',
        contributor: { id: '6d442278dba546f6', attributes: { VpnId: 'vpn-0a1b2c3d4e5f60001' } },
        mutedBy: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm-mute-rule:maintenance-window',
      },
    });
    // A contributor event carries no previous state: none is invented.
    expect(signal).not.toHaveProperty('alarm.previousState');
  });

  it('takes the tunnel of a GROUP BY TunnelIpAddress contributor, to be mapped to its VPN', () => {
    const signal = signalOf(loadEvent('aws.cloudwatch/alarm-contributor-tunnel-down.json'));
    expect(signal).toMatchObject({ kind: 'tunnel-down', targets: [{ tunnelIps: ['198.51.100.10'] }] });
    expect(signal).not.toHaveProperty('targets.0.vpnId');
  });

  it('turns a contributor back to OK into tunnel-up', () => {
    const signal = signalOf(loadEvent('aws.cloudwatch/alarm-contributor-vpn-ok.json'));
    expect(signal).toMatchObject({ kind: 'tunnel-up', targets: [{ vpnId: 'vpn-0a1b2c3d4e5f60001' }] });
  });

  it("ignores the parent alarm's summary, which names no VPN (its contributors' events do)", () => {
    expect(parseAlarmEvent(loadEvent('other/alarm-insights-parent-summary.json'))).toEqual({
      type: 'ignored',
      reason: expect.stringContaining('contributor'),
    });
  });

  it('rejects a contributor whose VpnId attribute is not a VPN id, naming the field', () => {
    const event = loadEvent('aws.cloudwatch/alarm-contributor-vpn-degraded.json');
    (
      event.detail as { alarmContributor: { attributes: Record<string, string> } }
    ).alarmContributor.attributes = { VpnId: 'Other' };
    expect(() => parseAlarmEvent(event)).toThrow(EventParseError);
    expect(() => parseAlarmEvent(event)).toThrow(
      expect.objectContaining({ fieldPath: 'detail.alarmContributor.attributes.VpnId' }),
    );
  });

  it('rejects a contributor that names neither a VPN nor a tunnel', () => {
    const event = loadEvent('aws.cloudwatch/alarm-contributor-tunnel-down.json');
    (
      event.detail as { alarmContributor: { attributes: Record<string, string> } }
    ).alarmContributor.attributes = {};
    expect(() => parseAlarmEvent(event)).toThrow(
      expect.objectContaining({ fieldPath: 'detail.alarmContributor.attributes' }),
    );
  });

  it('gives each contributor of one alarm its own dedupe key', () => {
    const vpn = signalOf(loadEvent('aws.cloudwatch/alarm-contributor-vpn-degraded.json'));
    const other = loadEvent('aws.cloudwatch/alarm-contributor-vpn-degraded.json');
    const contributor = (
      other.detail as { alarmContributor: { id: string; attributes: Record<string, string> } }
    ).alarmContributor;
    contributor.id = 'ffee000011112222';
    contributor.attributes = { VpnId: 'vpn-0a1b2c3d4e5f60002' };
    other.id = '00000000-0000-4000-8000-00000000aaaa';
    expect(idempotencyKeyOf(signalOf(other))).not.toEqual(idempotencyKeyOf(vpn));
  });
});

describe('the payload CloudWatch sends when a Lambda function is the alarm action', () => {
  it('is read like the EventBridge event: same kind, targets and evidence', () => {
    const signal = signalOf(loadEvent('aws.cloudwatch.lambda-action/alarm-vpn-any-tunnel-down.json'));
    const viaBus = signalOf(loadEvent('aws.cloudwatch/alarm-vpn-any-tunnel-down.json'));
    expect(signal.kind).toBe(viaBus.kind);
    expect(signal).toMatchObject({
      targets: [{ vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIps: [] }],
      origin: {
        source: 'aws.cloudwatch',
        detailType: 'CloudWatch Alarm Action',
        eventId: 'req-alarm-action-1',
        account: '111122223333',
        region: 'us-east-1',
        occurredAt: '2026-03-02T10:05:40.989Z',
      },
      alarm: {
        alarmName: 'vpn-0a1b2c3d4e5f60001-any-tunnel-down',
        alarmArn: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:vpn-0a1b2c3d4e5f60001-any-tunnel-down',
        state: 'ALARM',
        previousState: 'OK',
        reasonData: { statistic: 'Minimum', threshold: 1 },
      },
    });
  });

  it('runs once when the same state change arrives both as the alarm action and on the bus', () => {
    const action = signalOf(loadEvent('aws.cloudwatch.lambda-action/alarm-vpn-any-tunnel-down.json'));
    const viaBus = signalOf(loadEvent('aws.cloudwatch/alarm-vpn-any-tunnel-down.json'));
    expect(idempotencyKeyOf(action)).toEqual(idempotencyKeyOf(viaBus));
  });

  it('reads a Metrics Insights contributor sent to a Lambda action', () => {
    const signal = signalOf(loadEvent('aws.cloudwatch.lambda-action/alarm-contributor-tunnel-down.json'));
    expect(signal).toMatchObject({
      kind: 'tunnel-down',
      targets: [{ tunnelIps: ['198.51.100.10'] }],
      alarm: { contributor: { id: 'a1f0c2d3e4b5a697' } },
    });
  });

  it('ignores an alarm action for another metric, without error', () => {
    expect(parseAlarmEvent(loadEvent('aws.cloudwatch.lambda-action/alarm-ec2-cpu.json'), invocation)).toEqual(
      { type: 'ignored', reason: expect.stringContaining('does not watch AWS/VPN TunnelState') },
    );
  });

  it('rejects a TunnelState alarm action without alarmData.state, naming the field', () => {
    const event = loadEvent('aws.cloudwatch.lambda-action/alarm-vpn-any-tunnel-down.json');
    delete (event.alarmData as Record<string, unknown>).state;
    expect(() => parseAlarmEvent(event, invocation)).toThrow(
      expect.objectContaining({ name: 'EventParseError', fieldPath: 'alarmData.state' }),
    );
  });
});
