import { randomUUID } from 'node:crypto';
import type { TwinWorld } from './state.js';

export type AlarmState = 'OK' | 'ALARM';

/**
 * The old *instant* alarm model, kept for comparison (`TwinOptions.cloudwatch: 'instant'`): one alarm
 * per managed VPN on the `VpnId` series, Minimum < 1, that changes state at the first minute after the
 * telemetry does, with no period, evaluation window or publishing delay. Kinder than AWS by two minutes
 * or more; the twin's default is cloudwatch.ts, which evaluates the packaged template's alarms as
 * CloudWatch does.
 */
export class TunnelAlarms {
  readonly #states = new Map<string, AlarmState>();

  public constructor(
    private readonly world: TwinWorld,
    private readonly vpnIds: readonly string[],
  ) {
    for (const id of vpnIds) this.#states.set(id, this.stateOf(id));
  }

  private stateOf(vpnId: string): AlarmState {
    const vpn = this.world.vpnConnections.find((v) => v.id === vpnId);
    return vpn === undefined || vpn.tunnels.some((t) => t.status === 'DOWN') ? 'ALARM' : 'OK';
  }

  /** The alarm events for every state change since the last evaluation. */
  public evaluate(now: Date): Record<string, unknown>[] {
    const events: Record<string, unknown>[] = [];
    for (const vpnId of this.vpnIds) {
      const previous = this.#states.get(vpnId) ?? 'OK';
      const state = this.stateOf(vpnId);
      if (state === previous) continue;
      this.#states.set(vpnId, state);
      events.push(this.event(vpnId, previous, state, now));
    }
    return events;
  }

  private event(vpnId: string, previous: AlarmState, state: AlarmState, now: Date): Record<string, unknown> {
    const vpn = this.world.vpnConnections.find((v) => v.id === vpnId);
    const value =
      (vpn?.tunnels.filter((t) => t.status === 'UP').length ?? 0) / Math.max(1, vpn?.tunnels.length ?? 1);
    const name = `${vpnId}-tunnel-state`;
    const at = now.toISOString().replace('Z', '+0000');
    const crossed = state === 'ALARM' ? 'was less than' : 'was not less than';
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: this.world.accountId,
      time: `${now.toISOString().slice(0, 19)}Z`,
      region: this.world.region,
      resources: [`arn:aws:cloudwatch:${this.world.region}:${this.world.accountId}:alarm:${name}`],
      detail: {
        alarmName: name,
        configuration: {
          description: 'TunnelState Minimum < 1: at least one tunnel is down',
          metrics: [
            {
              id: 'm1',
              returnData: true,
              metricStat: {
                metric: { namespace: 'AWS/VPN', name: 'TunnelState', dimensions: { VpnId: vpnId } },
                period: 300,
                stat: 'Minimum',
              },
            },
          ],
        },
        previousState: { value: previous, timestamp: at, reason: 'previous evaluation' },
        state: {
          value: state,
          timestamp: at,
          reason: `Threshold Crossed: 1 out of the last 1 datapoints [${value}] ${crossed} the threshold (1.0).`,
          reasonData: JSON.stringify({
            version: '1.0',
            queryDate: at,
            statistic: 'Minimum',
            period: 300,
            recentDatapoints: [value],
            threshold: 1.0,
          }),
        },
      },
    };
  }
}
