import { describe, expect, it } from 'vitest';
import type { Signal } from '../../lib/domain/signal.js';
import { parseAlarmEvent } from '../../lib/events/parse.js';
import { loadEvent } from '../helpers/fixtures.js';

type Comparison = 'LessThan' | 'LessThanOrEqual' | 'GreaterThan' | 'AnomalyBand';

const REASON: Readonly<Record<Comparison, (threshold: number) => string>> = {
  LessThan: (t) => `was less than the threshold (${t.toFixed(1)})`,
  LessThanOrEqual: (t) => `was less than or equal to the threshold (${t.toFixed(1)})`,
  GreaterThan: (t) => `was greater than the threshold (${t.toFixed(1)})`,
  AnomalyBand: () => 'was less than the lower thresholds [0.97]',
};

const VPN = { VpnId: 'vpn-0a1b2c3d4e5f60001' };
const tunnel = (ip: string) => ({ TunnelIpAddress: ip });

function stat(id: string, stat: string, dimensions: Record<string, string>, returnData: boolean) {
  return {
    id,
    returnData,
    metricStat: { metric: { namespace: 'AWS/VPN', name: 'TunnelState', dimensions }, period: 300, stat },
  };
}

const perTunnel = (s = 'Maximum') => [
  stat('m1', s, tunnel('198.51.100.10'), false),
  stat('m2', s, tunnel('198.51.100.11'), false),
];
const math = (expression: string, inputs = perTunnel()) => [
  { id: 'e1', expression, returnData: true },
  ...inputs,
];
const band = { id: 'ad1', expression: 'ANOMALY_DETECTION_BAND(m1, 2)', returnData: true };

/** A classic or metric-math alarm in ALARM, in the EventBridge shape, its threshold in reasonData. */
function classic(metrics: unknown[], comparison: Comparison, threshold: number): Record<string, unknown> {
  const event = loadEvent('aws.cloudwatch/alarm-vpn-any-tunnel-down.json');
  const detail = event.detail as Record<string, Record<string, unknown>>;
  (detail.configuration as { metrics: unknown[] }).metrics = metrics;
  const state = detail.state as Record<string, unknown>;
  state.reason = `Threshold Crossed: 1 out of the last 1 datapoints [0.0 (02/03/26 10:00:00)] ${REASON[comparison](threshold)} (minimum 1 datapoint for OK -> ALARM transition).`;
  state.reasonData = JSON.stringify({ version: '1.0', period: 300, recentDatapoints: [0], threshold });
  (detail.previousState as Record<string, unknown>).reason = 'Unchecked: Initial alarm creation';
  return event;
}

/** A Metrics Insights contributor in ALARM: no reasonData, the threshold only in the reason text. */
function insights(
  query: string,
  attributes: Record<string, string>,
  comparison: Comparison,
  threshold: number,
) {
  const event = loadEvent('aws.cloudwatch/alarm-contributor-vpn-degraded.json');
  const detail = event.detail as Record<string, Record<string, unknown>>;
  (detail.configuration as { metrics: unknown[] }).metrics = [
    { id: 'm1', expression: query, returnData: true, period: 60 },
  ];
  (detail.alarmContributor as Record<string, unknown>).attributes = attributes;
  (detail.state as Record<string, unknown>).reason =
    `Threshold Crossed: 1 datapoint ${REASON[comparison](threshold)}.`;
  return event;
}

function kindOf(event: Record<string, unknown>): Signal['kind'] {
  const outcome = parseAlarmEvent(event);
  if (outcome.type !== 'signal') throw new Error(outcome.reason);
  return outcome.signal.kind;
}

describe('what an alarm in ALARM means, read from its definition', () => {
  it.each([
    // A VpnId series is the fraction of the two tunnels UP: 0, 0.5 or 1 at each moment.
    [
      'Minimum < 1 on VpnId (UG: at least one tunnel down)',
      classic([stat('m1', 'Minimum', VPN, true)], 'LessThan', 1),
      'tunnel-down',
    ],
    [
      'Minimum <= 0.5 on VpnId (UG wording)',
      classic([stat('m1', 'Minimum', VPN, true)], 'LessThanOrEqual', 0.5),
      'tunnel-down',
    ],
    [
      'Minimum < 0.5 on VpnId',
      classic([stat('m1', 'Minimum', VPN, true)], 'LessThan', 0.5),
      'connection-down',
    ],
    [
      'Maximum <= 0 on VpnId (UG: all tunnels down)',
      classic([stat('m1', 'Maximum', VPN, true)], 'LessThanOrEqual', 0),
      'connection-down',
    ],
    [
      'Maximum < 1 on VpnId (a tunnel down all period, not both)',
      classic([stat('m1', 'Maximum', VPN, true)], 'LessThan', 1),
      'tunnel-down',
    ],
    [
      'Average < 0.5 on VpnId (both down, as peer tools define it)',
      classic([stat('m1', 'Average', VPN, true)], 'LessThan', 0.5),
      'connection-down',
    ],
    [
      'Average <= 0.5 on VpnId (one down all period is 0.5)',
      classic([stat('m1', 'Average', VPN, true)], 'LessThanOrEqual', 0.5),
      'tunnel-down',
    ],
    ['Average < 1 on VpnId', classic([stat('m1', 'Average', VPN, true)], 'LessThan', 1), 'tunnel-down'],
    [
      'Minimum < 2 on VpnId (fires with every tunnel UP)',
      classic([stat('m1', 'Minimum', VPN, true)], 'LessThan', 2),
      'alarm-unclear',
    ],
    [
      'Maximum < 0 on VpnId (can never fire)',
      classic([stat('m1', 'Maximum', VPN, true)], 'LessThan', 0),
      'alarm-unclear',
    ],
    [
      'Sum < 1 on VpnId (depends on the sample count)',
      classic([stat('m1', 'Sum', VPN, true)], 'LessThan', 1),
      'alarm-unclear',
    ],
    [
      'Minimum > 0 on VpnId (compares upwards)',
      classic([stat('m1', 'Minimum', VPN, true)], 'GreaterThan', 0),
      'alarm-unclear',
    ],
    // One tunnel's series is 0 or 1.
    [
      'Maximum < 1 on one tunnel',
      classic([stat('m1', 'Maximum', tunnel('198.51.100.10'), true)], 'LessThan', 1),
      'tunnel-down',
    ],
    [
      'Minimum <= 0 on one tunnel',
      classic([stat('m1', 'Minimum', tunnel('198.51.100.10'), true)], 'LessThanOrEqual', 0),
      'tunnel-down',
    ],
    // Metric math over the two tunnels.
    ['MAX([m1,m2]) < 1 (the best tunnel)', classic(math('MAX([m1,m2])'), 'LessThan', 1), 'connection-down'],
    ['MIN([m1,m2]) < 1 (the worst tunnel)', classic(math('MIN([m1,m2])'), 'LessThan', 1), 'tunnel-down'],
    ['m1+m2 < 1 (tunnels UP)', classic(math('m1+m2'), 'LessThan', 1), 'connection-down'],
    ['m1+m2 < 2', classic(math('m1 + m2'), 'LessThan', 2), 'tunnel-down'],
    ['SUM(METRICS()) <= 0', classic(math('SUM(METRICS())'), 'LessThanOrEqual', 0), 'connection-down'],
    ['AVG([m1,m2]) < 0.5', classic(math('AVG([m1,m2])'), 'LessThan', 0.5), 'connection-down'],
    [
      'm1*m2 < 1 (an expression whose scale is not known)',
      classic(math('m1*m2'), 'LessThan', 1),
      'alarm-unclear',
    ],
    [
      'MAX([m1,m2]) < 1 over VpnId inputs',
      classic(
        math('MAX([m1,m2])', [stat('m1', 'Maximum', VPN, false), stat('m2', 'Maximum', VPN, false)]),
        'LessThan',
        1,
      ),
      'alarm-unclear',
    ],
    // Metrics Insights contributors: the threshold is only in the reason text.
    [
      'Insights MAX() GROUP BY VpnId < 1',
      insights('SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", VpnId) GROUP BY VpnId', VPN, 'LessThan', 1),
      'tunnel-down',
    ],
    [
      'Insights MAX() GROUP BY VpnId <= 0',
      insights(
        'SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", VpnId) GROUP BY VpnId',
        VPN,
        'LessThanOrEqual',
        0,
      ),
      'connection-down',
    ],
    [
      'Insights AVG() GROUP BY VpnId < 0.5',
      insights('SELECT AVG(TunnelState) FROM SCHEMA("AWS/VPN", VpnId) GROUP BY VpnId', VPN, 'LessThan', 0.5),
      'connection-down',
    ],
    [
      'Insights MIN() GROUP BY TunnelIpAddress < 1',
      insights(
        'SELECT MIN(TunnelState) FROM SCHEMA("AWS/VPN", TunnelIpAddress) GROUP BY TunnelIpAddress',
        tunnel('198.51.100.10'),
        'LessThan',
        1,
      ),
      'tunnel-down',
    ],
    [
      'Insights SUM() GROUP BY VpnId < 1',
      insights('SELECT SUM(TunnelState) FROM SCHEMA("AWS/VPN", VpnId) GROUP BY VpnId', VPN, 'LessThan', 1),
      'alarm-unclear',
    ],
  ] as const)('%s', (_name, event, kind) => {
    expect(kindOf(event)).toBe(kind);
  });

  it('reads an anomaly band as unclear whatever the order of the metrics array', () => {
    const series = stat('m1', 'Maximum', VPN, true);
    expect(kindOf(classic([band, series], 'AnomalyBand', 0))).toBe('alarm-unclear');
    expect(kindOf(classic([series, band], 'AnomalyBand', 0))).toBe('alarm-unclear');
  });

  it('is unclear when the reason names no comparison', () => {
    const event = classic([stat('m1', 'Minimum', VPN, true)], 'LessThan', 1);
    ((event.detail as Record<string, Record<string, unknown>>).state as Record<string, unknown>).reason =
      'test';
    expect(kindOf(event)).toBe('alarm-unclear');
  });

  it('keeps what it read on the evidence, so a person can check the reading', () => {
    const outcome = parseAlarmEvent(classic([stat('m1', 'Average', VPN, true)], 'LessThan', 0.5));
    expect(outcome).toMatchObject({
      signal: {
        alarm: {
          reading: {
            meaning: 'all-down',
            statistic: 'Average',
            comparison: 'LessThan',
            threshold: 0.5,
            because: expect.stringContaining('VpnId'),
          },
        },
      },
    });
  });

  it('still turns OK into tunnel-up and INSUFFICIENT_DATA into telemetry-missing, whatever the definition', () => {
    expect(kindOf(loadEvent('aws.cloudwatch/alarm-contributor-vpn-ok.json'))).toBe('tunnel-up');
    expect(kindOf(loadEvent('aws.cloudwatch/alarm-insufficient-data.json'))).toBe('telemetry-missing');
  });
});
