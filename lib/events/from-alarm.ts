import { type AlarmEvent, type AlarmMetric, TUNNEL_STATE_METRIC, VPN_NAMESPACE } from './alarm.js';
import { originOf } from './common.js';
import type { AlarmEvidence, AlarmSignal, VpnTarget } from './signal.js';

interface TunnelStateSeries {
  readonly vpnId?: string;
  readonly tunnelIp?: string;
  readonly stat: string;
}

function tunnelStateSeries(metrics: readonly AlarmMetric[]): TunnelStateSeries[] {
  const series: TunnelStateSeries[] = [];
  for (const metric of metrics) {
    const stat = metric.metricStat;
    if (stat?.metric.namespace !== VPN_NAMESPACE || stat.metric.name !== TUNNEL_STATE_METRIC) continue;
    const { VpnId, TunnelIpAddress } = stat.metric.dimensions;
    series.push({
      ...(VpnId === undefined ? {} : { vpnId: VpnId }),
      ...(TunnelIpAddress === undefined ? {} : { tunnelIp: TunnelIpAddress }),
      stat: stat.stat,
    });
  }
  return series;
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

/**
 * An ALARM means "every tunnel is down" when the alarm watches the *best* tunnel: `Maximum` of a
 * whole-connection series, or a `MAX(...)` expression over tunnels. Anything else (`Minimum`, a
 * single tunnel) means "at least one tunnel is down". Either way it is only where to look: the
 * snapshot decides whether the connection really is down.
 */
function watchesBestTunnel(metrics: readonly AlarmMetric[], series: readonly TunnelStateSeries[]): boolean {
  const returned = metrics.find((m) => m.returnData !== false);
  if (returned?.expression !== undefined) return /^\s*MAX\s*\(/i.test(returned.expression);
  return series.length === 1 && series[0]?.tunnelIp === undefined && series[0]?.stat === 'Maximum';
}

export type AlarmOutcome =
  | {
      readonly type: 'signal';
      readonly signal: AlarmSignal<'tunnel-down' | 'tunnel-up' | 'connection-down' | 'telemetry-missing'>;
    }
  | { readonly type: 'ignored'; readonly reason: string };

export function signalFromAlarm(event: AlarmEvent): AlarmOutcome {
  const { detail } = event;
  const series = tunnelStateSeries(detail.configuration.metrics);
  if (series.length === 0) {
    return {
      type: 'ignored',
      reason: `alarm ${detail.alarmName} does not watch ${VPN_NAMESPACE} ${TUNNEL_STATE_METRIC}`,
    };
  }
  const alarm: AlarmEvidence = {
    alarmName: detail.alarmName,
    alarmArn: event.resources[0] ?? '',
    state: detail.state.value,
    previousState: detail.previousState.value,
    reason: detail.state.reason,
    ...(detail.state.reasonData === undefined ? {} : { reasonData: detail.state.reasonData }),
  };
  const kind =
    detail.state.value === 'OK'
      ? 'tunnel-up'
      : detail.state.value === 'INSUFFICIENT_DATA'
        ? 'telemetry-missing'
        : watchesBestTunnel(detail.configuration.metrics, series)
          ? 'connection-down'
          : 'tunnel-down';
  return {
    type: 'signal',
    signal: {
      kind,
      origin: originOf(event, detail.state.timestamp),
      targets: targetsOf(series),
      alarm,
    },
  };
}
