/**
 * The TunnelState alarms the stack creates, as CloudFormation resources: the local Serverless plugin
 * adds them to the packaged template (serverless/tunnel-warden-plugin.cjs), so they are in the
 * template a review reads and the twin evaluates. Their events reach onTunnelAlarm through its rule;
 * they need no alarm actions (CloudWatch puts every state change on the bus whatever the actions).
 *
 * - By default, two Metrics Insights alarms cover every VPN of the account and Region without listing
 *   any (a VPN created tomorrow is covered tomorrow): per connection, `MAX(TunnelState)` of each `VpnId`
 *   series `<= 0` — every tunnel down for a whole period (connection-down); per tunnel, `MAX(TunnelState)`
 *   of each tunnel `< 1` — that tunnel down for a whole period (tunnel-down). Each VPN or tunnel is a
 *   contributor with its own `CloudWatch Alarm Contributor State Change` event.
 * - Optionally, one classic alarm per VPN the configuration names: `Minimum < 1` on its `VpnId` series
 *   (a tunnel down at some moment of the period), missing data read as missing (INSUFFICIENT_DATA is
 *   `telemetry-missing`, never taken as down).
 *
 * Alarms the operator made keep working: the rule and parser read any TunnelState alarm.
 */
import type { DetectionConfig } from '../config/detection.js';

export interface StackNaming {
  readonly service: string;
  readonly stage: string;
}

interface AlarmMetric {
  readonly Id: string;
  readonly Expression: string;
  readonly Period: number;
  readonly ReturnData: true;
}

export interface CfnAlarm {
  readonly Type: 'AWS::CloudWatch::Alarm';
  readonly Properties: Readonly<Record<string, unknown>> & {
    readonly AlarmName: string;
    readonly ComparisonOperator: string;
    readonly Threshold: number;
    readonly EvaluationPeriods: number;
    readonly DatapointsToAlarm: number;
    readonly TreatMissingData: string;
    readonly Metrics?: readonly AlarmMetric[];
  };
}

export const CONNECTION_QUERY = 'SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", VpnId) GROUP BY VpnId';

export function tunnelQuery(dimensions: DetectionConfig['tunnelDimensions']): string {
  return dimensions === 'TunnelIpAddress'
    ? 'SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", TunnelIpAddress) GROUP BY TunnelIpAddress'
    : 'SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", VpnId, TunnelIpAddress) GROUP BY VpnId, TunnelIpAddress';
}

/** Logical ids of the Metrics Insights alarms; classic ones are `TunnelState<vpn id without dashes>Alarm`. */
export const DETECTION_ALARM_IDS = {
  connection: 'TunnelStateByConnectionAlarm',
  tunnel: 'TunnelStateByTunnelAlarm',
} as const;

function evaluation(detection: DetectionConfig) {
  return { EvaluationPeriods: detection.evaluationPeriods, DatapointsToAlarm: detection.datapointsToAlarm };
}

function insightsAlarm(
  name: string,
  description: string,
  query: string,
  comparison: 'LessThanOrEqualToThreshold' | 'LessThanThreshold',
  threshold: number,
  detection: DetectionConfig,
): CfnAlarm {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: name,
      AlarmDescription: description,
      Metrics: [{ Id: 'q1', Expression: query, Period: detection.period, ReturnData: true }],
      ComparisonOperator: comparison,
      Threshold: threshold,
      ...evaluation(detection),
      // A contributor exists only while its series has data: a deleted VPN's contributor must go
      // quiet, not stay in ALARM. A live VPN whose TunnelState stops is the sweep's to find.
      TreatMissingData: 'notBreaching',
    },
  };
}

function classicAlarm(naming: StackNaming, vpnId: string, detection: DetectionConfig): CfnAlarm {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `${naming.service}-${naming.stage}-${vpnId}-tunnel-down`,
      AlarmDescription: `tunnel-warden: a tunnel of ${vpnId} was down during the period (TunnelState Minimum < 1)`,
      Namespace: 'AWS/VPN',
      MetricName: 'TunnelState',
      Dimensions: [{ Name: 'VpnId', Value: vpnId }],
      Statistic: 'Minimum',
      Period: detection.period,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      ...evaluation(detection),
      TreatMissingData: 'missing',
    },
  };
}

/** The alarms for a configuration, by logical id. */
export function detectionAlarms(
  detection: DetectionConfig,
  vpnIds: readonly string[],
  naming: StackNaming,
): Record<string, CfnAlarm> {
  const prefix = `${naming.service}-${naming.stage}`;
  const alarms: Record<string, CfnAlarm> = {};
  if (detection.insightsAlarms) {
    alarms[DETECTION_ALARM_IDS.connection] = insightsAlarm(
      `${prefix}-vpn-tunnel-state`,
      'tunnel-warden: every tunnel of a VPN connection down for a whole period (MAX(TunnelState) <= 0 per VpnId)',
      CONNECTION_QUERY,
      'LessThanOrEqualToThreshold',
      0,
      detection,
    );
    alarms[DETECTION_ALARM_IDS.tunnel] = insightsAlarm(
      `${prefix}-tunnel-state`,
      'tunnel-warden: a tunnel down for a whole period (MAX(TunnelState) < 1 per tunnel)',
      tunnelQuery(detection.tunnelDimensions),
      'LessThanThreshold',
      1,
      detection,
    );
  }
  if (detection.classicAlarms) {
    for (const vpnId of new Set(vpnIds)) {
      alarms[`TunnelState${vpnId.replace(/[^A-Za-z0-9]/g, '')}Alarm`] = classicAlarm(
        naming,
        vpnId,
        detection,
      );
    }
  }
  return alarms;
}
