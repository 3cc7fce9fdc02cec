import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type DeliveryChannel, incidentDurations } from './model.js';
import type { IncidentEvent } from './ports.js';

/**
 * CloudWatch metrics (EMF) for one incident change. `IncidentsOpened`/`IncidentsResolved` carry a
 * `kind` dimension and are emitted at once through `singleMetric()`: a dimension added to the shared
 * instance would stick to every metric flushed with it (Failovers would get a `kind`). The others are
 * buffered on `metrics` and flushed with the invocation's metrics.
 */
export function recordIncidentMetrics(metrics: Metrics, event: IncidentEvent, failovers: number): void {
  const { change, incident } = event;
  const durations = incidentDurations(incident);
  if (change === 'opened' || change === 'reopened') countByKind(metrics, 'IncidentsOpened', incident.kind);
  if (change === 'resolved') countByKind(metrics, 'IncidentsResolved', incident.kind);
  if (failovers > 0) metrics.addMetric('Failovers', MetricUnit.Count, failovers);
  if (durations.ttm !== undefined && mitigatedByThisChange(event)) {
    metrics.addMetric('TimeToMitigate', MetricUnit.Seconds, durations.ttm);
  }
  if (change === 'resolved' && durations.ttr !== undefined) {
    metrics.addMetric('TimeToResolve', MetricUnit.Seconds, durations.ttr);
  }
}

function countByKind(metrics: Metrics, name: string, kind: string): void {
  const single = metrics.singleMetric();
  single.addDimension('kind', kind);
  single.addMetric(name, MetricUnit.Count, 1);
}

/**
 * The event holds the incident after the change, not before it. The lifecycle stamps `mitigatedAt`
 * with the observation's time, so a mitigation is new exactly when it equals `lastObservedAt`; an
 * older one (kept across updates and reopens) is not counted again. A notice opens and resolves in
 * one observation and is published as `opened` then `resolved` of the same resolved incident: only
 * the `resolved` half counts it.
 */
function mitigatedByThisChange(event: IncidentEvent): boolean {
  const { incident, change } = event;
  if (incident.mitigatedAt === undefined) return false;
  if (change !== 'resolved' && incident.status === 'resolved') return false;
  return Date.parse(incident.mitigatedAt) === Date.parse(incident.lastObservedAt);
}

/**
 * One failed delivery of an incident change, by `channel` (eventbridge, sns): each has its own alarm,
 * so a topic whose key was disabled shows as such even while the events still flow.
 */
export function recordDeliveryFailure(metrics: Metrics, channel: DeliveryChannel): void {
  const single = metrics.singleMetric();
  single.addDimension('channel', channel);
  single.addMetric('DeliveryFailures', MetricUnit.Count, 1);
}
