import { describe, expect, it } from 'vitest';
import { TEMPLATE_PATH } from '../../lib/eventbridge/package.js';
import { parseInsightsQuery } from '../../lib/events/insights-query.js';
import { parseAlarmEvent } from '../../lib/events/parse.js';
import { DEFAULT_TWIN_START } from '../../lib/twin/clock.js';
import { alarmsFromTemplate, type TwinAlarm, TwinCloudWatch } from '../../lib/twin/cloudwatch.js';
import { demoWorld } from '../../lib/twin/topologies/demo.js';
import { setTunnelStatus } from '../../lib/twin/tunnels.js';

const MINUTE = 60_000;
const at = (minutes: number) => new Date(DEFAULT_TWIN_START.getTime() + minutes * MINUTE);

type Event = Record<string, unknown> & { detail: Record<string, unknown> };

/** Ticks CloudWatch once a minute from `from` to `to` (minutes after the start), keeping each minute's events. */
function run(cw: TwinCloudWatch, from: number, to: number): { minute: number; events: Event[] }[] {
  const out: { minute: number; events: Event[] }[] = [];
  for (let m = from; m <= to; m += 1) out.push({ minute: m, events: cw.tick(at(m)) as Event[] });
  return out;
}

function firstMinute(ticks: { minute: number; events: Event[] }[], test: (e: Event) => boolean) {
  return ticks.find((t) => t.events.some(test))?.minute;
}

const contributorIn = (state: string) => (e: Event) =>
  e['detail-type'] === 'CloudWatch Alarm Contributor State Change' &&
  (e.detail.state as { value: string }).value === state;

describe("the twin's CloudWatch evaluates the packaged template's alarms as AWS does", () => {
  it('reads the TunnelState alarms of the packaged template, not a hard-coded one', () => {
    const alarms = alarmsFromTemplate(TEMPLATE_PATH);
    expect(alarms.map((a) => [a.name, a.comparison, a.threshold, a.periodMs])).toEqual([
      ['tunnel-warden-dev-vpn-tunnel-state', 'LessThanOrEqualToThreshold', 0, MINUTE],
      ['tunnel-warden-dev-tunnel-state', 'LessThanThreshold', 1, MINUTE],
    ]);
  });

  it('raises contributors 3 minutes after both tunnels die (the minute, the period, the publishing delay), never at once', () => {
    const world = demoWorld();
    const cw = new TwinCloudWatch(world, alarmsFromTemplate(TEMPLATE_PATH), at(0));
    for (const ip of ['198.51.100.10', '198.51.100.11']) setTunnelStatus(world, ip, 'DOWN', at(0));
    const ticks = run(cw, 1, 6);
    expect(firstMinute(ticks, contributorIn('ALARM'))).toBe(3);
    const signals = ticks
      .flatMap((t) => t.events)
      .map((e) => parseAlarmEvent(e))
      .map((o) =>
        o.type === 'signal' && 'targets' in o.signal ? [o.signal.kind, o.signal.targets] : ['other'],
      );
    expect(signals).toEqual(
      expect.arrayContaining([
        ['connection-down', [{ vpnId: 'vpn-0a1b2c3d4e5f60001', tunnelIps: [] }]],
        ['tunnel-down', [{ tunnelIps: ['198.51.100.10'] }]],
        ['tunnel-down', [{ tunnelIps: ['198.51.100.11'] }]],
      ]),
    );
    expect(signals).toHaveLength(3);
    // Back UP: the contributors return to OK as late as they left it.
    for (const ip of ['198.51.100.10', '198.51.100.11']) setTunnelStatus(world, ip, 'UP', at(6));
    expect(firstMinute(run(cw, 7, 12), contributorIn('OK'))).toBe(9);
  });

  it('misses a blip between two samples, as a one-minute metric does', () => {
    const world = demoWorld();
    const cw = new TwinCloudWatch(world, alarmsFromTemplate(TEMPLATE_PATH), at(0));
    cw.tick(at(1));
    setTunnelStatus(world, '198.51.100.10', 'DOWN', new Date(at(1).getTime() + 10_000));
    setTunnelStatus(world, '198.51.100.10', 'UP', new Date(at(1).getTime() + 50_000));
    expect(run(cw, 2, 6).flatMap((t) => t.events)).toEqual([]);
  });

  it('evaluates a classic alarm with evaluation periods, datapoints to alarm and missing data', () => {
    const classic = (over: Partial<TwinAlarm>): TwinAlarm => ({
      name: 'vpn-0a1b2c3d4e5f60001-tunnel-down',
      periodMs: MINUTE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparison: 'LessThanThreshold',
      threshold: 1,
      treatMissingData: 'missing',
      series: { dimensions: { VpnId: 'vpn-0a1b2c3d4e5f60001' }, statistic: 'Minimum' },
      ...over,
    });
    const world = demoWorld();
    const cw = new TwinCloudWatch(
      world,
      [classic({}), classic({ name: 'two-of-three', evaluationPeriods: 3, datapointsToAlarm: 2 })],
      at(0),
    );
    const first = run(cw, 1, 2).flatMap((t) => t.events);
    // A new alarm leaves INSUFFICIENT_DATA at its first evaluation with a published datapoint.
    expect(
      first.map((e) => [
        (e.detail.previousState as { value: string }).value,
        (e.detail.state as { value: string }).value,
      ]),
    ).toEqual([
      ['INSUFFICIENT_DATA', 'OK'],
      ['INSUFFICIENT_DATA', 'OK'],
    ]);
    setTunnelStatus(world, '198.51.100.10', 'DOWN', at(2));
    const ticks = run(cw, 3, 8);
    const alarmOf = (name: string) =>
      firstMinute(
        ticks,
        (e) => e.detail.alarmName === name && (e.detail.state as { value: string }).value === 'ALARM',
      );
    // Sampled DOWN at 3, that minute's datapoint published at 5; two of three breaching a minute later.
    expect(alarmOf('vpn-0a1b2c3d4e5f60001-tunnel-down')).toBe(5);
    expect(alarmOf('two-of-three')).toBe(6);
    const event = ticks
      .flatMap((t) => t.events)
      .find((e) => e.detail.alarmName === 'vpn-0a1b2c3d4e5f60001-tunnel-down');
    expect(event === undefined ? undefined : parseAlarmEvent(event)).toMatchObject({
      signal: {
        kind: 'tunnel-down',
        alarm: { reading: { meaning: 'one-down', statistic: 'Minimum', threshold: 1 } },
      },
    });
  });

  it('reads a Metrics Insights alarm grouped by both VpnId and TunnelIpAddress only where that dimension set is published', () => {
    const text =
      'SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", VpnId, TunnelIpAddress) GROUP BY VpnId, TunnelIpAddress';
    const parsed = parseInsightsQuery(text);
    if (parsed === undefined) throw new Error('query did not parse');
    const alarm: TwinAlarm = {
      name: 'both',
      periodMs: MINUTE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparison: 'LessThanThreshold',
      threshold: 1,
      treatMissingData: 'notBreaching',
      query: { text, parsed },
    };
    const world = demoWorld();
    const cw = new TwinCloudWatch(world, [alarm], at(0));
    setTunnelStatus(world, '198.51.100.10', 'DOWN', at(0));
    // The twin publishes {VpnId} and {TunnelIpAddress} series, as AWS's console lists them: this schema matches none.
    expect(run(cw, 1, 5).flatMap((t) => t.events)).toEqual([]);
  });
});
