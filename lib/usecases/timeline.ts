import type { ActionResult } from '../aws/apply-result.js';
import { actionKey } from '../domain/actions.js';
import type { Signal } from '../events/signal.js';
import type { PendingEntry } from '../incidents/lifecycle.js';
import { redact } from '../incidents/redact.js';
import type { Plan } from '../policy/plan.js';

/** One line that says what a signal is, for the timeline and the notifications. */
export function describeSignal(signal: Signal): string {
  if ('alarm' in signal) {
    const where = signal.targets.map((t) => [t.vpnId, ...t.tunnelIps].filter(Boolean).join(' ')).join(', ');
    return `${signal.kind}: alarm ${signal.alarm.alarmName} ${signal.alarm.previousState} → ${signal.alarm.state} (${where})`;
  }
  if ('health' in signal) {
    const where = signal.targets.map((t) => t.vpnId).join(', ') || 'no VPN named';
    return `${signal.kind}: AWS Health ${signal.health.eventTypeCode} ${signal.health.statusCode} (${where})`;
  }
  if ('drill' in signal)
    return `drill ${signal.drill.scenario} on ${signal.drill.site} (${signal.drill.mode})`;
  return `${signal.kind} (${signal.schedule})`;
}

export function signalEntry(signal: Signal): PendingEntry {
  return {
    at: signal.origin.occurredAt,
    type: 'signal',
    entryId: `${signal.origin.eventId}#signal`,
    summary: describeSignal(signal),
    detail: redact({ signal }),
  };
}

export function describePlan(plan: Plan): string {
  const route =
    plan.activePath === plan.desiredPath
      ? `on ${plan.desiredPath ?? 'no path'}`
      : `${plan.activePath ?? 'mixed'} → ${plan.desiredPath ?? 'none'}`;
  const changes = plan.actions.length + plan.deferred.length;
  return `${plan.decision}: ${route}; ${changes} change(s) planned (${plan.mode})`;
}

/** The plan and what each action did, stamped with the observation time. */
export function planEntries(
  eventId: string,
  at: string,
  plan: Plan,
  results: readonly ActionResult[],
): PendingEntry[] {
  const entries: PendingEntry[] = [
    {
      at,
      type: 'plan',
      entryId: `${eventId}#plan#${plan.site}`,
      summary: describePlan(plan),
      detail: redact({ plan }),
    },
  ];
  for (const result of results) {
    entries.push({
      at,
      type: 'action',
      entryId: `${eventId}#action#${actionKey(result.action)}`,
      summary: `${result.outcome}: ${result.detail}`,
      detail: redact({ result }),
    });
  }
  return entries;
}
