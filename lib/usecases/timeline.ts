import { actionKey } from '../domain/actions.js';
import type { ActionResult } from '../domain/apply-result.js';
import type { ApplyIntent } from '../domain/lease.js';
import type { Signal } from '../domain/signal.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { PendingEntry } from '../incidents/lifecycle.js';
import { redact } from '../incidents/redact.js';
import { actionInEffect } from '../policy/in-effect.js';
import type { Plan } from '../policy/plan.js';

/** One line that says what a signal is, for the timeline and the notifications. */
export function describeSignal(signal: Signal): string {
  if ('alarm' in signal) return describeAlarmSignal(signal);
  if ('health' in signal) return describeHealthSignal(signal);
  if ('network' in signal) return describeNetworkSignal(signal);
  if ('drill' in signal)
    return `drill ${signal.drill.scenario} on ${signal.drill.site} (${signal.drill.mode})`;
  return `${signal.kind} (${signal.schedule})`;
}

function describeAlarmSignal(signal: Extract<Signal, { readonly alarm: unknown }>): string {
  const where = signal.targets.map((t) => [t.vpnId, ...t.tunnelIps].filter(Boolean).join(' ')).join(', ');
  const { alarm } = signal;
  const change = alarm.previousState === undefined ? alarm.state : `${alarm.previousState} → ${alarm.state}`;
  const name =
    alarm.contributor === undefined ? alarm.alarmName : `${alarm.alarmName} [${alarm.contributor.id}]`;
  // A mute rule silences the alarm's own actions, not this service: the line says so.
  const muted = alarm.mutedBy === undefined ? '' : `; muted by ${alarm.mutedBy}`;
  return `${signal.kind}: alarm ${name} ${change} (${where})${muted}`;
}

function describeHealthSignal(signal: Extract<Signal, { readonly health: unknown }>): string {
  const { health } = signal;
  const where = signal.targets.map((t) => t.vpnId).join(', ') || 'no VPN named';
  const page = health.page === undefined ? '' : `, page ${health.page}/${health.totalPages ?? '?'}`;
  const account = health.affectedAccount === undefined ? '' : `, account ${health.affectedAccount}`;
  return `${signal.kind}: AWS Health ${health.eventTypeCode} ${health.statusCode} (${where}${account}${page})`;
}

function describeNetworkSignal(signal: Extract<Signal, { readonly network: unknown }>): string {
  const { network } = signal;
  const where = signal.targets
    .map((t) =>
      [t.vpnId, ...t.tunnelIps, t.account === undefined ? '' : `account ${t.account}`]
        .filter(Boolean)
        .join(' '),
    )
    .join(', ');
  return `${signal.kind}: Network Manager ${network.changeType} (${where}; ${network.globalNetworkId})`;
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

/**
 * What an earlier run meant to apply and never recorded (its write-ahead intent), checked against
 * the fresh snapshot: the timeline keeps every change that may have landed, with what is true now.
 */
export function recoveryEntries(
  eventId: string,
  at: string,
  intent: ApplyIntent,
  snapshot: Snapshot,
): PendingEntry[] {
  const states = intent.actions.map((action) => ({ action, state: actionInEffect(action, snapshot) }));
  const inEffect = states.filter((s) => s.state === 'in-effect').length;
  return [
    {
      at,
      type: 'note',
      entryId: `${eventId}#recovered#${intent.owner}#${intent.fence}`,
      summary:
        `recovered: an earlier run (${intent.owner}, event ${intent.eventId}) planned ${intent.decision} ` +
        `at ${intent.plannedAt} with ${intent.actions.length} change(s) and did not record the outcome; ` +
        `${inEffect} of them in effect now`,
      detail: redact({ intent, states: states.map((s) => ({ key: actionKey(s.action), state: s.state })) }),
    },
  ];
}

/** A run that stopped before a mutating step: why, and what it did not do. */
export function abandonedEntry(eventId: string, at: string, site: string, reason: string): PendingEntry {
  return {
    at,
    type: 'note',
    entryId: `${eventId}#abandoned#${site}`,
    summary: `abandoned: ${reason}`,
    detail: { reason },
  };
}
