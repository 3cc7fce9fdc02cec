import type {
  AlarmEvidence,
  AlarmKind,
  AlarmMeaning,
  AlarmReading,
  AlarmSignal,
  SignalOrigin,
  VpnTarget,
} from '../domain/signal.js';
import type { AlarmDetail, AlarmMetric } from './alarm.js';
import { TUNNEL_STATE_METRIC, VPN_NAMESPACE } from './alarm.js';
import { readAlarm } from './alarm-meaning.js';
import { parseInsightsQuery } from './insights-query.js';

/**
 * One alarm state change, however it arrived: an EventBridge event (`CloudWatch Alarm State Change`
 * or `… Contributor State Change`) or the payload of a Lambda alarm action.
 */
export interface AlarmNotice {
  /** The origin without its times: they come from the state change itself. */
  readonly origin: Omit<SignalOrigin, 'occurredAt' | 'dedupeKey'>;
  readonly alarmArn: string;
  readonly detail: AlarmDetail;
}

interface TunnelStateSeries {
  readonly vpnId?: string;
  readonly tunnelIp?: string;
}

function seriesOf(dimensions: Readonly<Record<string, string>>): TunnelStateSeries {
  const { VpnId, TunnelIpAddress } = dimensions;
  return {
    ...(VpnId === undefined ? {} : { vpnId: VpnId }),
    ...(TunnelIpAddress === undefined ? {} : { tunnelIp: TunnelIpAddress }),
  };
}

function metricStatSeries(metrics: readonly AlarmMetric[]): TunnelStateSeries[] {
  const series: TunnelStateSeries[] = [];
  for (const metric of metrics) {
    const stat = metric.metricStat;
    if (stat?.metric.namespace !== VPN_NAMESPACE || stat.metric.name !== TUNNEL_STATE_METRIC) continue;
    series.push(seriesOf(stat.metric.dimensions));
  }
  return series;
}

/**
 * The series a state change is about. A Metrics Insights alarm's own event summarises all its
 * contributors ("1 out of 6 time series evaluated to ALARM") and names none: only a contributor's
 * event says which VPN or tunnel, through its GROUP BY values.
 */
function tunnelStateSeries(detail: AlarmDetail): TunnelStateSeries[] | { readonly ignored: string } {
  const fromMetricStats = metricStatSeries(detail.configuration.metrics);
  if (fromMetricStats.length > 0) return fromMetricStats;
  for (const metric of detail.configuration.metrics) {
    const query = metric.expression === undefined ? undefined : parseInsightsQuery(metric.expression);
    if (query?.namespace !== VPN_NAMESPACE || query.metric !== TUNNEL_STATE_METRIC) continue;
    if (detail.alarmContributor === undefined) {
      return {
        ignored: `Metrics Insights alarm ${detail.alarmName} changed as a whole; each contributor's own event names its VPN or tunnel`,
      };
    }
    return [seriesOf(detail.alarmContributor.attributes)];
  }
  return [];
}

/**
 * Groups series by VPN: each named VPN is one target with the tunnels the alarm names for it;
 * each tunnel named without a VPN is its own target, resolved later through DescribeVpnConnections.
 */
function targetsOf(series: readonly TunnelStateSeries[]): VpnTarget[] {
  const byVpn = new Map<string, string[]>();
  const unresolved: VpnTarget[] = [];
  for (const s of series) {
    if (s.vpnId === undefined) {
      if (s.tunnelIp !== undefined && !unresolved.some((t) => t.tunnelIps.includes(s.tunnelIp ?? ''))) {
        unresolved.push({ tunnelIps: [s.tunnelIp] });
      }
      continue;
    }
    const ips = byVpn.get(s.vpnId) ?? [];
    if (s.tunnelIp !== undefined && !ips.includes(s.tunnelIp)) ips.push(s.tunnelIp);
    byVpn.set(s.vpnId, ips);
  }
  return [...[...byVpn].map(([vpnId, tunnelIps]) => ({ vpnId, tunnelIps })), ...unresolved];
}

const KIND_OF_MEANING: Readonly<Record<AlarmMeaning, AlarmKind>> = {
  'all-down': 'connection-down',
  'one-down': 'tunnel-down',
  unknown: 'alarm-unclear',
};

export type AlarmOutcome =
  | {
      readonly type: 'signal';
      readonly signal: AlarmSignal<AlarmKind>;
    }
  | { readonly type: 'ignored'; readonly reason: string };

function evidenceOf(notice: AlarmNotice): AlarmEvidence & { readonly reading: AlarmReading } {
  const { detail } = notice;
  return {
    alarmName: detail.alarmName,
    alarmArn: notice.alarmArn,
    state: detail.state.value,
    ...(detail.previousState === undefined ? {} : { previousState: detail.previousState.value }),
    reason: detail.state.reason,
    ...(detail.state.reasonData === undefined ? {} : { reasonData: detail.state.reasonData }),
    ...(detail.alarmContributor === undefined ? {} : { contributor: detail.alarmContributor }),
    ...(detail.muteDetail?.mutedByArn === undefined ? {} : { mutedBy: detail.muteDetail.mutedByArn }),
    reading: readAlarm(detail),
  };
}

/**
 * One state change of one alarm (or one contributor of it) is one signal, whether CloudWatch put it on
 * the bus, invoked us as the alarm's action, or both: the key names the change, not the delivery.
 */
function dedupeKeyOf(notice: AlarmNotice): string {
  const { detail } = notice;
  const contributor = detail.alarmContributor?.id ?? '-';
  return `alarm:${notice.alarmArn}:${contributor}:${detail.state.value}:${detail.state.timestamp}`;
}

export function signalFromAlarm(notice: AlarmNotice): AlarmOutcome {
  const { detail } = notice;
  const series = tunnelStateSeries(detail);
  if ('ignored' in series) return { type: 'ignored', reason: series.ignored };
  if (series.length === 0) {
    return {
      type: 'ignored',
      reason: `alarm ${detail.alarmName} does not watch ${VPN_NAMESPACE} ${TUNNEL_STATE_METRIC}`,
    };
  }
  const alarm = evidenceOf(notice);
  const kind: AlarmKind =
    detail.state.value === 'OK'
      ? 'tunnel-up'
      : detail.state.value === 'INSUFFICIENT_DATA'
        ? 'telemetry-missing'
        : KIND_OF_MEANING[alarm.reading.meaning];
  return {
    type: 'signal',
    signal: {
      kind,
      origin: { ...notice.origin, occurredAt: detail.state.timestamp, dedupeKey: dedupeKeyOf(notice) },
      targets: targetsOf(series),
      alarm,
    },
  };
}
