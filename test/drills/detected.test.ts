import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstDetection, isFault, triggerOf } from '../../lib/drills/detection.js';
import { loadScenario } from '../../lib/drills/load.js';
import { runDrill } from '../../lib/drills/runner.js';
import type { Delivery } from '../../lib/twin/deliver.js';
import type { BusEntry } from '../../lib/twin/services/eventbridge-entry.js';

const delivery = (fn: string, detailType: string, eventId: string, at: string): Delivery => ({
  at,
  function: fn,
  eventId,
  detailType,
  outcome: 'handled',
  attempts: 1,
});
const entry = (id: string, state: string): BusEntry => ({
  id,
  source: 'aws.cloudwatch',
  detailType: 'CloudWatch Alarm State Change',
  detail: { state: { value: state } },
  resources: [],
  time: '',
  eventBusName: 'default',
  account: '111122223333',
  region: 'us-east-1',
});

describe('what counts as detecting a fault', () => {
  const bus = [
    entry('ok', 'OK'),
    entry('alarm', 'ALARM'),
    entry('contrib', 'ALARM'),
    entry('nodata', 'INSUFFICIENT_DATA'),
  ];
  it('an alarm or contributor event in ALARM to onTunnelAlarm, or a sweep run; never keepalive or an OK change', () => {
    const at = '2026-03-02T10:08:00.000Z';
    expect(triggerOf(delivery('onTunnelAlarm', 'CloudWatch Alarm State Change', 'alarm', at), bus)).toBe(
      'alarm',
    );
    expect(
      triggerOf(delivery('onTunnelAlarm', 'CloudWatch Alarm Contributor State Change', 'contrib', at), bus),
    ).toBe('contributor-alarm');
    expect(triggerOf(delivery('healthCheck', 'Scheduled Event', 'x', at), bus)).toBe('sweep');
    // The classic alarms leave INSUFFICIENT_DATA for OK after their first periods: that finds nothing.
    expect(
      triggerOf(delivery('onTunnelAlarm', 'CloudWatch Alarm State Change', 'ok', at), bus),
    ).toBeUndefined();
    expect(
      triggerOf(delivery('onTunnelAlarm', 'CloudWatch Alarm State Change', 'nodata', at), bus),
    ).toBeUndefined();
    expect(triggerOf(delivery('keepalive', 'Scheduled Event', 'y', at), bus)).toBeUndefined();
  });

  it("a Network Manager event saying a tunnel's IPsec or BGP went down, to onNetworkEvent; never one saying it came up", () => {
    const at = '2026-03-02T10:08:00.000Z';
    const change = (id: string, changeType: string): BusEntry => ({
      ...entry(id, ''),
      source: 'aws.networkmanager',
      detailType: 'Network Manager Status Update',
      detail: { changeType },
      region: 'us-west-2',
    });
    const network = [
      change('ipsec-down', 'VPN-CONNECTION-IPSEC-DOWN'),
      change('bgp-down', 'VPN-CONNECTION-BGP-DOWN'),
      change('ipsec-up', 'VPN-CONNECTION-IPSEC-UP'),
      change('bgp-up', 'VPN-CONNECTION-BGP-ESTABLISH'),
    ];
    const status = 'Network Manager Status Update';
    expect(triggerOf(delivery('onNetworkEvent', status, 'ipsec-down', at), network)).toBe('network-event');
    expect(triggerOf(delivery('onNetworkEvent', status, 'bgp-down', at), network)).toBe('network-event');
    expect(triggerOf(delivery('onNetworkEvent', status, 'ipsec-up', at), network)).toBeUndefined();
    expect(triggerOf(delivery('onNetworkEvent', status, 'bgp-up', at), network)).toBeUndefined();
  });

  it('measures from the fault to the first trigger after it, ignoring what came before', () => {
    const deliveries = [
      delivery('healthCheck', 'Scheduled Event', 'before', '2026-03-02T10:05:00.000Z'),
      delivery('keepalive', 'Scheduled Event', 'k', '2026-03-02T10:06:00.000Z'),
      delivery('onTunnelAlarm', 'CloudWatch Alarm State Change', 'alarm', '2026-03-02T10:08:00.000Z'),
      delivery('healthCheck', 'Scheduled Event', 'after', '2026-03-02T10:10:00.000Z'),
    ];
    const fault = { at: Date.parse('2026-03-02T10:05:00.000Z'), deliveries: 1 };
    expect(firstDetection(fault, deliveries, bus)).toMatchObject({ trigger: 'alarm', afterMs: 180_000 });
    expect(firstDetection({ ...fault, deliveries: 4 }, deliveries, bus)).toBeUndefined();
  });

  it('a fault is a tunnel going DOWN or its traffic stopping, not a recovery', () => {
    expect(isFault({ tunnel: { ip: '198.51.100.10', status: 'DOWN' } })).toBe(true);
    expect(isFault({ traffic: { ip: '198.51.100.10', passing: false } })).toBe(true);
    expect(isFault({ tunnel: { ip: '198.51.100.10', status: 'UP' } })).toBe(false);
    expect(isFault({ traffic: { ip: '198.51.100.10', passing: true } })).toBe(false);
  });
});

describe('a detected expectation that does not hold', () => {
  it.each([
    // The default alarms beat the sweep: claiming the sweep found it is false, and says what did.
    [
      'detected-by-another-trigger.yml',
      'detected by sweep within 300 s',
      'detected by contributor-alarm after 180 s',
    ],
    // CloudWatch needs three minutes; a two-minute bound is not met.
    [
      'detected-too-slow.yml',
      'detected by contributor-alarm within 120 s',
      'detected by contributor-alarm after 180 s',
    ],
  ])('%s fails naming the trigger and the time', { timeout: 60_000 }, async (file, expected, actual) => {
    const result = await runDrill(loadScenario(join(import.meta.dirname, file)));
    expect(result.passed).toBe(false);
    expect(result.failed).toMatchObject({ index: 4, ok: false, expected, actual });
  });
});
