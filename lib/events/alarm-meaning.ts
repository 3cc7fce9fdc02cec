/**
 * What an alarm in ALARM says about a VPN, read from its definition — statistic, comparison,
 * threshold, dimension, and for metric math the expression — never from the statistic's name alone.
 * It only says where to look and how bad the alarm's author thought it was: the fresh snapshot decides.
 *
 * TunnelState is 1 for an UP tunnel and 0 otherwise. A value is a point on a *scale*: one tunnel's
 * series is 0 or 1; a `VpnId` series combines the connection's two tunnels into the fraction UP
 * (0, 0.5, 1, and anything between once averaged over a period); `m1+m2` counts tunnels UP. On each
 * scale there is a value below which every tunnel must have been down at some moment (`allDownBelow`),
 * and the value of every tunnel UP (`allUp`). An alarm "means all down" when every value it fires on
 * is below `allDownBelow`; "one down" when it fires on no all-UP value and on the all-down one;
 * otherwise its meaning is unknown (it fires when everything is UP, it cannot fire at all, it compares
 * upwards, it is an anomaly band, or its parts could not be read).
 */
import type { AlarmMeaning, AlarmReading, Comparison } from '../domain/signal.js';
import type { AlarmDetail, AlarmMetric } from './alarm.js';
import { TUNNEL_STATE_METRIC, VPN_NAMESPACE } from './alarm.js';
import { type InsightsQuery, parseInsightsQuery } from './insights-query.js';

interface Scale {
  readonly name: string;
  /** Values below this one are only reached when every tunnel was down; undefined for one tunnel. */
  readonly allDownBelow?: number;
  readonly allUp: number;
}

/** A Site-to-Site VPN connection has two tunnels: its `VpnId` series is the fraction UP. */
const CONNECTION_FRACTION: Scale = {
  name: 'VpnId series (fraction of the two tunnels UP)',
  allDownBelow: 0.5,
  allUp: 1,
};
const ONE_TUNNEL: Scale = { name: 'one tunnel', allUp: 1 };
const BEST_TUNNEL: Scale = { name: 'best tunnel (MAX over tunnels)', allDownBelow: 1, allUp: 1 };
const WORST_TUNNEL: Scale = { name: 'worst tunnel (MIN over tunnels)', allUp: 1 };
const FRACTION_OF_TUNNELS: Scale = {
  name: 'fraction of tunnels UP (AVG over tunnels)',
  allDownBelow: 0.5,
  allUp: 1,
};

/** Statistics whose value stays on the series' scale; Sum, SampleCount and percentiles do not say. */
const SCALE_PRESERVING = new Set(['Minimum', 'Maximum', 'Average']);

const COMPARISON_TEXT: readonly (readonly [string, Comparison])[] = [
  ['less than or equal to', 'LessThanOrEqual'],
  ['less than', 'LessThan'],
  ['greater than or equal to', 'GreaterThanOrEqual'],
  ['greater than', 'GreaterThan'],
];
const CROSSED =
  /was (?:not )?(less than or equal to|less than|greater than or equal to|greater than) the threshold \((-?[\d.]+(?:[eE][-+]?\d+)?)\)/;
const BAND = /\b(?:lower|upper) thresholds?\b|\bband\b/i;

/** CloudWatch's state reasons name the comparison ("was less than or equal to the threshold (0.0)"). */
function comparisonIn(reason: string): { comparison?: Comparison; threshold?: number } {
  if (BAND.test(reason)) return { comparison: 'AnomalyBand' };
  const match = CROSSED.exec(reason);
  if (match === null) return {};
  const comparison = COMPARISON_TEXT.find(([text]) => text === match[1])?.[1];
  const threshold = Number(match[2]);
  return {
    ...(comparison === undefined ? {} : { comparison }),
    ...(Number.isFinite(threshold) ? { threshold } : {}),
  };
}

function thresholdIn(reasonData: Readonly<Record<string, unknown>> | undefined): number | undefined {
  const value = reasonData?.threshold;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function isTunnelState(metric: AlarmMetric): boolean {
  return (
    metric.metricStat?.metric.namespace === VPN_NAMESPACE &&
    metric.metricStat.metric.name === TUNNEL_STATE_METRIC
  );
}

function scaleOfSeries(dimensions: Readonly<Record<string, string>>): Scale | undefined {
  if (dimensions.TunnelIpAddress !== undefined) return ONE_TUNNEL;
  if (dimensions.VpnId !== undefined) return CONNECTION_FRACTION;
  return undefined;
}

/** A metric-math expression over per-tunnel TunnelState inputs: MAX, MIN, AVG, SUM or `m1+m2`. */
function scaleOfExpression(expression: string, inputs: readonly AlarmMetric[]): Scale | undefined {
  const tunnels = inputs.filter(
    (m) => isTunnelState(m) && m.metricStat?.metric.dimensions.TunnelIpAddress !== undefined,
  );
  if (tunnels.length === 0 || tunnels.length !== inputs.length) return undefined;
  if (!tunnels.every((m) => SCALE_PRESERVING.has(m.metricStat?.stat ?? ''))) return undefined;
  const ids = new Set(tunnels.map((m) => m.id));
  const call = /^\s*(MAX|MIN|AVG|SUM)\s*\(\s*(?:\[([^\]]*)\]|METRICS\(\s*\))\s*\)\s*$/i.exec(expression);
  const listed = call?.[2]?.split(',').map((s) => s.trim()) ?? [...ids];
  if (call !== null && listed.every((id) => ids.has(id))) {
    const fn = (call[1] ?? '').toUpperCase();
    if (fn === 'MAX') return BEST_TUNNEL;
    if (fn === 'MIN') return WORST_TUNNEL;
    if (fn === 'AVG') return FRACTION_OF_TUNNELS;
    return { name: `tunnels UP (SUM of ${listed.length})`, allDownBelow: 1, allUp: listed.length };
  }
  const terms = expression.split('+').map((s) => s.trim());
  if (terms.length > 1 && terms.every((t) => ids.has(t))) {
    return { name: `tunnels UP (${terms.join('+')})`, allDownBelow: 1, allUp: terms.length };
  }
  return undefined;
}

function scaleOfInsights(
  query: InsightsQuery,
  attributes: Readonly<Record<string, string>>,
): Scale | undefined {
  if (query.fn !== 'MIN' && query.fn !== 'MAX' && query.fn !== 'AVG') return undefined;
  return scaleOfSeries(attributes);
}

interface Definition {
  readonly scale?: Scale;
  readonly statistic?: string;
  readonly unreadable?: string;
}

/** The one series the alarm evaluates, on its scale. */
function definitionOf(detail: AlarmDetail): Definition {
  const metrics = detail.configuration.metrics;
  if (metrics.some((m) => m.expression !== undefined && /ANOMALY_DETECTION_BAND/i.test(m.expression))) {
    return { unreadable: 'an anomaly band: its thresholds are learned, not stated' };
  }
  const returned = metrics.filter((m) => m.returnData !== false);
  const [evaluated] = returned;
  if (evaluated === undefined || returned.length > 1) {
    return { unreadable: 'no single evaluated series among its metrics' };
  }
  if (evaluated.metricStat !== undefined) {
    const { stat } = evaluated.metricStat;
    if (!isTunnelState(evaluated) || !SCALE_PRESERVING.has(stat)) return { statistic: stat };
    const scale = scaleOfSeries(evaluated.metricStat.metric.dimensions);
    return { statistic: stat, ...(scale === undefined ? {} : { scale }) };
  }
  return expressionDefinition(detail, evaluated);
}

/** An evaluated series that is an expression: a Metrics Insights query, or math over the other metrics. */
function expressionDefinition(detail: AlarmDetail, evaluated: AlarmMetric): Definition {
  const expression = evaluated.expression ?? '';
  const query = parseInsightsQuery(expression);
  if (query !== undefined) {
    const scale =
      detail.alarmContributor === undefined
        ? undefined
        : scaleOfInsights(query, detail.alarmContributor.attributes);
    return { statistic: `${query.fn}()`, ...(scale === undefined ? {} : { scale }) };
  }
  const scale = scaleOfExpression(
    expression,
    detail.configuration.metrics.filter((m) => m !== evaluated),
  );
  return { statistic: expression, ...(scale === undefined ? {} : { scale }) };
}

function ruled(scale: Scale, comparison: Comparison, threshold: number): AlarmMeaning {
  if (comparison !== 'LessThan' && comparison !== 'LessThanOrEqual') return 'unknown';
  const fires = (value: number) => (comparison === 'LessThan' ? value < threshold : value <= threshold);
  // It must fire when every tunnel is down, and never when every tunnel is UP.
  if (!fires(0) || fires(scale.allUp)) return 'unknown';
  return scale.allDownBelow !== undefined && !fires(scale.allDownBelow) ? 'all-down' : 'one-down';
}

/** What the alarm does not say that its meaning needs, if anything. */
function missingPart(
  definition: Definition,
  comparison: Comparison | undefined,
  threshold: number | undefined,
): string | undefined {
  if (definition.scale === undefined)
    return 'not a TunnelState series, statistic or expression whose scale is known';
  if (comparison === undefined) return 'no comparison in its state reason';
  if (threshold === undefined) return 'no threshold in its reason data or state reason';
  return undefined;
}

/** The meaning of an alarm's state change, with what it was read from. */
export function readAlarm(detail: AlarmDetail): AlarmReading {
  const definition = definitionOf(detail);
  const fromReason = {
    ...comparisonIn(detail.previousState?.reason ?? ''),
    ...comparisonIn(detail.state.reason),
  };
  const threshold =
    thresholdIn(detail.state.reasonData) ??
    thresholdIn(detail.previousState?.reasonData) ??
    fromReason.threshold;
  const { comparison } = fromReason;
  const read = {
    ...(definition.statistic === undefined ? {} : { statistic: definition.statistic }),
    ...(comparison === undefined ? {} : { comparison }),
    ...(threshold === undefined ? {} : { threshold }),
  };
  const missing = definition.unreadable ?? missingPart(definition, comparison, threshold);
  if (
    missing !== undefined ||
    definition.scale === undefined ||
    comparison === undefined ||
    threshold === undefined
  ) {
    return { meaning: 'unknown', because: missing ?? 'unreadable', ...read };
  }
  const meaning = ruled(definition.scale, comparison, threshold);
  const rule = `${definition.statistic ?? ''} ${comparison} ${threshold} on the ${definition.scale.name}`;
  return {
    meaning,
    because: meaning === 'unknown' ? `${rule}: fires on all UP, never, or upwards` : rule,
    ...read,
  };
}
