/**
 * The twin's CloudWatch for AWS/VPN TunnelState, built from the alarms of the *packaged* template (the
 * ones a deploy creates), evaluated as CloudWatch does rather than at once:
 * - every tunnel publishes one TunnelState sample a minute (1 UP, 0 otherwise) under `TunnelIpAddress`,
 *   and each connection one under `VpnId`, the fraction of its tunnels UP;
 * - a period's datapoint (MIN, MAX or AVG of its samples) is seen `publishDelayMs` after the period ends;
 * - alarms are evaluated each minute over their last `EvaluationPeriods` datapoints, ALARM when at least
 *   `DatapointsToAlarm` breach, missing datapoints as `TreatMissingData` says;
 * - a Metrics Insights alarm's series are contributors (ALARM or OK, never INSUFFICIENT_DATA), each
 *   with its own `CloudWatch Alarm Contributor State Change` event.
 * AWS does not document TunnelState's publishing delay; one minute is the default here (an assumption).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type InsightsQuery, parseInsightsQuery } from '../events/insights-query.js';
import type { TwinWorld } from './state.js';

export const DEFAULT_PUBLISH_DELAY_MS = 60_000;
const MINUTE = 60_000;

type Comparison =
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold';
type State = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
type Dimensions = Readonly<Record<string, string>>;

export interface TwinAlarm {
  readonly name: string;
  readonly periodMs: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly treatMissingData: 'breaching' | 'notBreaching' | 'missing' | 'ignore';
  /** A Metrics Insights alarm: its query; otherwise a classic alarm on one series. */
  readonly query?: { readonly text: string; readonly parsed: InsightsQuery };
  readonly series?: { readonly dimensions: Dimensions; readonly statistic: string };
}

interface Sample {
  readonly at: number;
  readonly dimensions: Dimensions;
  readonly value: number;
}

const COMPARISON_TEXT: Readonly<Record<Comparison, string>> = {
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
};

type Resource = { Type?: string; Properties?: Record<string, unknown> };

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** The packaged template's alarms on AWS/VPN TunnelState, classic or Metrics Insights. */
export function alarmsFromTemplate(templatePath: string): TwinAlarm[] {
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources?: Record<string, Resource> };
  return alarmsFromResources(template.Resources ?? {});
}

/** The alarms on AWS/VPN TunnelState among CloudFormation resources, classic or Metrics Insights. */
export function alarmsFromResources(resources: Readonly<Record<string, Resource>>): TwinAlarm[] {
  return Object.values(resources).flatMap((resource) => {
    const alarm = tunnelStateAlarm(resource);
    return alarm === undefined ? [] : [alarm];
  });
}

/** A template resource as a twin alarm, if it is an alarm on AWS/VPN TunnelState. */
function tunnelStateAlarm(resource: Resource): TwinAlarm | undefined {
  const p = resource.Properties;
  if (resource.Type !== 'AWS::CloudWatch::Alarm' || p === undefined || typeof p.AlarmName !== 'string')
    return undefined;
  const common = {
    name: p.AlarmName,
    evaluationPeriods: num(p.EvaluationPeriods, 1),
    datapointsToAlarm: num(p.DatapointsToAlarm, num(p.EvaluationPeriods, 1)),
    comparison: p.ComparisonOperator as Comparison,
    threshold: num(p.Threshold, 0),
    treatMissingData: (p.TreatMissingData ?? 'missing') as TwinAlarm['treatMissingData'],
  };
  const [metric] = Array.isArray(p.Metrics)
    ? (p.Metrics as { Expression?: unknown; Period?: unknown }[])
    : [];
  const parsed = typeof metric?.Expression === 'string' ? parseInsightsQuery(metric.Expression) : undefined;
  if (parsed !== undefined && typeof metric?.Expression === 'string') {
    if (parsed.namespace !== 'AWS/VPN' || parsed.metric !== 'TunnelState') return undefined;
    return { ...common, periodMs: num(metric.Period, 60) * 1000, query: { text: metric.Expression, parsed } };
  }
  if (p.Namespace !== 'AWS/VPN' || p.MetricName !== 'TunnelState' || !Array.isArray(p.Dimensions))
    return undefined;
  const dimensions = Object.fromEntries(
    (p.Dimensions as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value]),
  );
  return {
    ...common,
    periodMs: num(p.Period, 300) * 1000,
    series: { dimensions, statistic: String(p.Statistic ?? 'Average') },
  };
}

/** How a period without data counts, by TreatMissingData: as breaching, and as present at all. */
function missingCounts(treat: TwinAlarm['treatMissingData']): { breaching: number; present: number } {
  if (treat === 'breaching') return { breaching: 1, present: 1 };
  if (treat === 'notBreaching') return { breaching: 0, present: 1 };
  return { breaching: 0, present: 0 };
}

function sameDimensions(a: Dimensions, b: Dimensions): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function aggregate(values: readonly number[], statistic: string): number | undefined {
  if (values.length === 0) return undefined;
  if (statistic === 'Minimum' || statistic === 'MIN') return Math.min(...values);
  if (statistic === 'Maximum' || statistic === 'MAX') return Math.max(...values);
  if (statistic === 'Average' || statistic === 'AVG')
    return values.reduce((s, v) => s + v, 0) / values.length;
  if (statistic === 'Sum' || statistic === 'SUM') return values.reduce((s, v) => s + v, 0);
  return values.length;
}

function breaches(value: number, alarm: TwinAlarm): boolean {
  switch (alarm.comparison) {
    case 'LessThanThreshold':
      return value < alarm.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= alarm.threshold;
    case 'GreaterThanThreshold':
      return value > alarm.threshold;
    default:
      return value >= alarm.threshold;
  }
}

/** CloudWatch's `dd/mm/yy HH:MM:SS` in its state reasons. */
function reasonTime(at: number): string {
  const d = new Date(at).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(2, 4)} ${d.slice(11, 19)}`;
}

const cwTime = (at: number) => new Date(at).toISOString().replace('Z', '+0000');

interface Evaluation {
  readonly state: State;
  /** Newest first: [period start, value] of the datapoints that were present. */
  readonly datapoints: readonly (readonly [number, number])[];
}

export class TwinCloudWatch {
  readonly #samples: Sample[] = [];
  readonly #states = new Map<string, State>();
  readonly #lookbackMs: number;
  #lastSampleAt: number;

  public constructor(
    private readonly world: TwinWorld,
    public readonly alarms: readonly TwinAlarm[],
    start: Date,
    private readonly publishDelayMs = DEFAULT_PUBLISH_DELAY_MS,
  ) {
    this.#lookbackMs =
      Math.max(MINUTE, ...alarms.map((a) => a.periodMs * (a.evaluationPeriods + 1))) +
      publishDelayMs +
      MINUTE;
    this.#lastSampleAt = Math.floor(start.getTime() / MINUTE) * MINUTE;
    this.sample(this.#lastSampleAt);
    for (const alarm of alarms)
      if (alarm.series !== undefined) this.#states.set(alarm.name, 'INSUFFICIENT_DATA');
  }

  /** One sample per tunnel and per connection, at one instant. */
  private sample(at: number): void {
    for (const vpn of this.world.vpnConnections) {
      const up: number[] = vpn.tunnels.map((t) => (t.status === 'UP' ? 1 : 0));
      vpn.tunnels.forEach((t, i) => {
        this.#samples.push({ at, dimensions: { TunnelIpAddress: t.outsideIp }, value: up[i] ?? 0 });
      });
      if (up.length > 0)
        this.#samples.push({
          at,
          dimensions: { VpnId: vpn.id },
          value: up.reduce((s, v) => s + v, 0) / up.length,
        });
    }
    // Keep what the longest evaluation looks back over, and no more: evaluation scans the samples.
    const horizon = at - this.#lookbackMs;
    while ((this.#samples[0]?.at ?? horizon) < horizon) this.#samples.shift();
  }

  /** The series' statistic over the samples of one period, [start, end); undefined when it has none. */
  private valueIn(start: number, end: number, dimensions: Dimensions, statistic: string): number | undefined {
    const values = this.#samples
      .filter((s) => s.at >= start && s.at < end && sameDimensions(s.dimensions, dimensions))
      .map((s) => s.value);
    return aggregate(values, statistic);
  }

  private evaluate(alarm: TwinAlarm, dimensions: Dimensions, statistic: string, now: number): Evaluation {
    const lastEnd = Math.floor((now - this.publishDelayMs) / alarm.periodMs) * alarm.periodMs;
    const datapoints: [number, number][] = [];
    let breaching = 0;
    let present = 0;
    for (let k = 0; k < alarm.evaluationPeriods; k += 1) {
      const end = lastEnd - k * alarm.periodMs;
      const value = this.valueIn(end - alarm.periodMs, end, dimensions, statistic);
      if (value === undefined) {
        const missing = missingCounts(alarm.treatMissingData);
        breaching += missing.breaching;
        present += missing.present;
        continue;
      }
      present += 1;
      datapoints.push([end - alarm.periodMs, value]);
      if (breaches(value, alarm)) breaching += 1;
    }
    if (present === 0)
      return { state: alarm.treatMissingData === 'ignore' ? 'OK' : 'INSUFFICIENT_DATA', datapoints };
    return { state: breaching >= alarm.datapointsToAlarm ? 'ALARM' : 'OK', datapoints };
  }

  /** Samples the minutes crossed up to `now`, evaluates every alarm, and returns the events CloudWatch emits. */
  public tick(now: Date): Record<string, unknown>[] {
    const at = now.getTime();
    const events: Record<string, unknown>[] = [];
    let crossed = false;
    for (let t = this.#lastSampleAt + MINUTE; t <= at; t += MINUTE) {
      this.sample(t);
      this.#lastSampleAt = t;
      crossed = true;
    }
    // CloudWatch evaluates once a minute, on the minute.
    if (!crossed) return events;
    for (const alarm of this.alarms) {
      events.push(...(alarm.query === undefined ? this.classic(alarm, at) : this.insights(alarm, at)));
    }
    return events;
  }

  private classic(alarm: TwinAlarm, now: number): Record<string, unknown>[] {
    if (alarm.series === undefined) return [];
    const result = this.evaluate(alarm, alarm.series.dimensions, alarm.series.statistic, now);
    const previous = this.#states.get(alarm.name) ?? 'INSUFFICIENT_DATA';
    if (result.state === previous || (alarm.treatMissingData === 'ignore' && result.datapoints.length === 0))
      return [];
    this.#states.set(alarm.name, result.state);
    const reasonData = {
      version: '1.0',
      queryDate: cwTime(now),
      statistic: alarm.series.statistic,
      period: alarm.periodMs / 1000,
      recentDatapoints: result.datapoints.map(([, v]) => v).reverse(),
      threshold: alarm.threshold,
    };
    return [
      this.envelope('CloudWatch Alarm State Change', alarm.name, now, {
        alarmName: alarm.name,
        configuration: {
          metrics: [
            {
              id: 'm1',
              returnData: true,
              metricStat: {
                metric: { namespace: 'AWS/VPN', name: 'TunnelState', dimensions: alarm.series.dimensions },
                period: alarm.periodMs / 1000,
                stat: alarm.series.statistic,
              },
            },
          ],
        },
        previousState: { value: previous, timestamp: cwTime(now), reason: `was ${previous}` },
        state: {
          value: result.state,
          timestamp: cwTime(now),
          reason: this.reason(alarm, result),
          reasonData: JSON.stringify(reasonData),
        },
      }),
    ];
  }

  private reason(alarm: TwinAlarm, result: Evaluation): string {
    if (result.state === 'INSUFFICIENT_DATA')
      return `Insufficient Data: ${alarm.evaluationPeriods} datapoints were unknown.`;
    const not = result.state === 'OK' ? 'not ' : '';
    const shown = result.datapoints.map(([t, v]) => `${v.toFixed(1)} (${reasonTime(t)})`).join(', ');
    return `Threshold Crossed: ${result.datapoints.length} out of the last ${alarm.evaluationPeriods} datapoints [${shown}] was ${not}${COMPARISON_TEXT[alarm.comparison]} the threshold (${alarm.threshold.toFixed(1)}) (minimum ${alarm.datapointsToAlarm} datapoint for transition).`;
  }

  /** The series of each GROUP BY value tuple (as JSON) among those whose dimension set is the SCHEMA's. */
  private contributors(parsed: NonNullable<TwinAlarm['query']>['parsed']): Map<string, Dimensions> {
    const schema = parsed.schemaDimensions;
    const seen = new Map<string, Dimensions>();
    for (const s of this.#samples) {
      const keys = Object.keys(s.dimensions);
      if (schema.length > 0 && (keys.length !== schema.length || !schema.every((k) => k in s.dimensions)))
        continue;
      const attributes = Object.fromEntries(parsed.groupBy.map((k) => [k, s.dimensions[k] ?? 'Other']));
      seen.set(JSON.stringify(attributes), s.dimensions);
    }
    return seen;
  }

  /** One contributor per GROUP BY value tuple among the series whose dimension set is the SCHEMA's. */
  private insights(alarm: TwinAlarm, now: number): Record<string, unknown>[] {
    const query = alarm.query;
    if (query === undefined) return [];
    const seen = this.contributors(query.parsed);
    const events: Record<string, unknown>[] = [];
    for (const [key, dimensions] of seen) {
      const attributes = JSON.parse(key) as Record<string, string>;
      const result = this.evaluate(alarm, dimensions, query.parsed.fn, now);
      // A contributor is ALARM or OK, never INSUFFICIENT_DATA: a series without data is not one.
      const state: State = result.state === 'ALARM' ? 'ALARM' : 'OK';
      const stateKey = `${alarm.name}#${key}`;
      if (state === (this.#states.get(stateKey) ?? 'OK')) continue;
      this.#states.set(stateKey, state);
      const [latest] = result.datapoints;
      const crossed = state === 'ALARM' ? 'was' : 'was not';
      const shown =
        latest === undefined
          ? ''
          : ` The most recent datapoint: [${latest[1].toFixed(1)} (${reasonTime(latest[0])})].`;
      events.push(
        this.envelope('CloudWatch Alarm Contributor State Change', alarm.name, now, {
          alarmName: alarm.name,
          alarmContributor: { id: createHash('sha256').update(key).digest('hex').slice(0, 16), attributes },
          state: {
            value: state,
            reason: `Threshold Crossed: 1 datapoint ${crossed} ${COMPARISON_TEXT[alarm.comparison]} the threshold (${alarm.threshold.toFixed(1)}).${shown}`,
            timestamp: cwTime(now),
          },
          configuration: {
            metrics: [{ id: 'q1', expression: query.text, returnData: true, period: alarm.periodMs / 1000 }],
          },
        }),
      );
    }
    return events;
  }

  private envelope(detailType: string, name: string, now: number, detail: Record<string, unknown>) {
    const { accountId, region } = this.world;
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source: 'aws.cloudwatch',
      account: accountId,
      time: `${new Date(now).toISOString().slice(0, 19)}Z`,
      region,
      resources: [`arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`],
      detail,
    };
  }
}
