/**
 * Detection time by trigger: from a fault to the first delivery that tells tunnel-warden about it, and
 * what that delivery was. Used by the `detected` expectation and by the benchmark.
 */
import type { Delivery } from '../twin/deliver.js';
import type { BusEntry } from '../twin/services/eventbridge-entry.js';
import type { DetectionTrigger, ScenarioStep } from './schema.js';

/** A step that breaks a tunnel (control plane) or its traffic (data plane). */
export const isFault = (step: ScenarioStep): boolean =>
  ('tunnel' in step && step.tunnel.status === 'DOWN') || ('traffic' in step && !step.traffic.passing);

/** Where a fault happened: the twin time and how many deliveries there were before it. */
export interface FaultMark {
  readonly at: number;
  readonly deliveries: number;
}

export interface Detection {
  readonly trigger: DetectionTrigger;
  /** Twin milliseconds from the fault to the delivery. */
  readonly afterMs: number;
  readonly delivery: Delivery;
}

function alarmState(entry: BusEntry | undefined): unknown {
  const detail = entry?.detail as { state?: { value?: unknown } } | undefined;
  return detail?.state?.value;
}

function networkChange(entry: BusEntry | undefined): unknown {
  const detail = entry?.detail as { changeType?: unknown } | undefined;
  return detail?.changeType;
}

/**
 * The trigger a delivery is, if it is one: an alarm event in ALARM delivered to onTunnelAlarm (an OK or
 * INSUFFICIENT_DATA change says nothing is down), a Network Manager event saying a tunnel's IPsec or BGP
 * went down delivered to onNetworkEvent, or a sweep run (it reads every tunnel).
 */
export function triggerOf(delivery: Delivery, bus: readonly BusEntry[]): DetectionTrigger | undefined {
  if (delivery.function === 'healthCheck' && delivery.detailType === 'Scheduled Event') return 'sweep';
  const entry = bus.find((e) => e.id === delivery.eventId);
  if (delivery.function === 'onNetworkEvent') {
    const change = networkChange(entry);
    return change === 'VPN-CONNECTION-IPSEC-DOWN' || change === 'VPN-CONNECTION-BGP-DOWN'
      ? 'network-event'
      : undefined;
  }
  if (delivery.function !== 'onTunnelAlarm') return undefined;
  if (alarmState(entry) !== 'ALARM') return undefined;
  if (delivery.detailType === 'CloudWatch Alarm Contributor State Change') return 'contributor-alarm';
  if (delivery.detailType === 'CloudWatch Alarm State Change') return 'alarm';
  return undefined;
}

/** The first trigger delivered after the fault, or undefined when none came yet. */
export function firstDetection(
  fault: FaultMark,
  deliveries: readonly Delivery[],
  bus: readonly BusEntry[],
): Detection | undefined {
  for (const delivery of deliveries.slice(fault.deliveries)) {
    const trigger = triggerOf(delivery, bus);
    if (trigger !== undefined) return { trigger, afterMs: Date.parse(delivery.at) - fault.at, delivery };
  }
  return undefined;
}
