import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/load.js';
import { TEMPLATE_PATH } from '../../lib/eventbridge/package.js';
import { routeEvent } from '../../lib/eventbridge/router.js';
import { loadPackagedRules, type PackagedRule } from '../../lib/eventbridge/template.js';
import { parseAlarmEvent } from '../../lib/events/parse.js';
import { type CfnAlarm, DETECTION_ALARM_IDS, detectionAlarms } from '../../lib/stack/detection-alarms.js';

const template = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as { Resources: Record<string, CfnAlarm> };
let rules: PackagedRule[];
beforeAll(() => {
  rules = loadPackagedRules(TEMPLATE_PATH, { accountId: '111122223333', region: 'us-east-1' });
});

const COMPARISON_TEXT: Readonly<Record<string, string>> = {
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** The contributor event CloudWatch emits when one series of a Metrics Insights alarm goes to ALARM. */
function contributorEvent(alarm: CfnAlarm, attributes: Record<string, string>, datapoint: number) {
  const p = alarm.Properties;
  const [metric] = p.Metrics ?? [];
  if (metric === undefined) throw new Error(`${p.AlarmName} is not a Metrics Insights alarm`);
  return {
    version: '0',
    id: '0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a',
    'detail-type': 'CloudWatch Alarm Contributor State Change',
    source: 'aws.cloudwatch',
    account: '111122223333',
    time: '2026-03-02T10:02:04Z',
    region: 'us-east-1',
    resources: [`arn:aws:cloudwatch:us-east-1:111122223333:alarm:${p.AlarmName}`],
    detail: {
      alarmName: p.AlarmName,
      alarmContributor: { id: 'c0ffee0000000001', attributes },
      state: {
        value: 'ALARM',
        reason: `Threshold Crossed: 1 datapoint was ${COMPARISON_TEXT[p.ComparisonOperator]} the threshold (${p.Threshold.toFixed(1)}). The most recent datapoint which crossed the threshold: [${datapoint.toFixed(1)} (02/03/26 10:01:00)].`,
        timestamp: '2026-03-02T10:02:04.919+0000',
      },
      configuration: {
        metrics: [{ id: metric.Id, expression: metric.Expression, returnData: true, period: metric.Period }],
        description: p.AlarmDescription,
      },
    },
  };
}

describe('the TunnelState alarms the stack creates (packaged template)', () => {
  it('has a Metrics Insights alarm per connection and one per tunnel, listing no VPN', () => {
    const connection = template.Resources[DETECTION_ALARM_IDS.connection];
    const tunnel = template.Resources[DETECTION_ALARM_IDS.tunnel];
    expect(connection?.Properties).toMatchObject({
      AlarmName: 'tunnel-warden-dev-vpn-tunnel-state',
      Metrics: [
        {
          Expression: 'SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", VpnId) GROUP BY VpnId',
          Period: 60,
          ReturnData: true,
        },
      ],
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(tunnel?.Properties).toMatchObject({
      AlarmName: 'tunnel-warden-dev-tunnel-state',
      Metrics: [
        {
          Expression:
            'SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", TunnelIpAddress) GROUP BY TunnelIpAddress',
        },
      ],
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    expect(JSON.stringify([connection, tunnel])).not.toMatch(/vpn-[0-9a-f]{8}/);
  });

  it.each([
    [
      DETECTION_ALARM_IDS.connection,
      'connection-down',
      { VpnId: 'vpn-0a1b2c3d4e5f60001' },
      { vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIps: [] },
    ],
    [
      DETECTION_ALARM_IDS.tunnel,
      'tunnel-down',
      { TunnelIpAddress: '198.51.100.10' },
      { tunnelIps: ['198.51.100.10'] },
    ],
  ])('%s: its contributor events reach onTunnelAlarm and mean %s', (id, kind, attributes, target) => {
    const alarm = template.Resources[id];
    if (alarm === undefined) throw new Error(`no ${id} in the template`);
    const event = contributorEvent(alarm, attributes, 0);
    expect(routeEvent(rules, event).map((r) => r.functionKey)).toEqual(['onTunnelAlarm']);
    expect(parseAlarmEvent(event)).toMatchObject({ type: 'signal', signal: { kind, targets: [target] } });
  });

  it('gives them no actions: their events reach the bus whatever the actions, and nothing else needs them', () => {
    for (const id of Object.values(DETECTION_ALARM_IDS)) {
      expect(template.Resources[id]?.Properties).not.toHaveProperty('AlarmActions');
    }
  });
});

describe('detection alarms from the configuration', () => {
  const naming = { service: 'tunnel-warden', stage: 'prod' };
  const config = (detection: string) =>
    parseConfig(
      `version: 1
${detection}
sites:
  - name: a
    prefixes: [10.0.0.0/16]
    routeTables: { transitGateway: [tgw-rtb-0a1b2c3d4e5f60001] }
    paths:
      - { name: p, vpn: vpn-0a1b2c3d4e5f60001, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60001 }
      - { name: b, vpn: vpn-0a1b2c3d4e5f60002, transitGatewayAttachment: tgw-attach-0a1b2c3d4e5f60002 }
`,
      'test.yml',
    );

  it('adds one classic alarm per configured VPN when asked, reading missing data as missing', () => {
    const c = config('detection: { classicAlarms: true, period: 300 }');
    const alarms = detectionAlarms(c.detection, ['vpn-0a1b2c3d4e5f60001', 'vpn-0a1b2c3d4e5f60002'], naming);
    expect(Object.keys(alarms).sort()).toEqual([
      'TunnelStateByConnectionAlarm',
      'TunnelStateByTunnelAlarm',
      'TunnelStatevpn0a1b2c3d4e5f60001Alarm',
      'TunnelStatevpn0a1b2c3d4e5f60002Alarm',
    ]);
    expect(alarms.TunnelStatevpn0a1b2c3d4e5f60001Alarm?.Properties).toMatchObject({
      AlarmName: 'tunnel-warden-prod-vpn-0a1b2c3d4e5f60001-tunnel-down',
      Namespace: 'AWS/VPN',
      MetricName: 'TunnelState',
      Dimensions: [{ Name: 'VpnId', Value: 'vpn-0a1b2c3d4e5f60001' }],
      Statistic: 'Minimum',
      Period: 300,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'missing',
    });
  });

  it('creates none when both kinds are off, and the per-tunnel schema the account publishes', () => {
    expect(detectionAlarms(config('detection: { insightsAlarms: false }').detection, [], naming)).toEqual({});
    const both = detectionAlarms(
      config('detection: { tunnelDimensions: VpnId+TunnelIpAddress }').detection,
      [],
      naming,
    );
    expect(both.TunnelStateByTunnelAlarm?.Properties.Metrics?.[0]?.Expression).toBe(
      'SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", VpnId, TunnelIpAddress) GROUP BY VpnId, TunnelIpAddress',
    );
  });

  it.each([
    ['detection: { period: 90 }', 'detection.period'],
    ['detection: { period: 30 }', 'detection.period'],
    ['detection: { evaluationPeriods: 2, datapointsToAlarm: 3 }', 'detection.datapointsToAlarm'],
    ['detection: { classicAlarms: yes-please }', 'detection.classicAlarms'],
    ['detection: { tunnelDimensions: TunnelId }', 'detection.tunnelDimensions'],
    ['detection: { thresholds: 1 }', 'detection'],
  ])('refuses %s, naming %s', (detection, fieldPath) => {
    expect(() => config(detection)).toThrow(expect.objectContaining({ fieldPath }));
  });
});
