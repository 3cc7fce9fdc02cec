import type { ActionResult } from '../aws/apply-result.js';
import type { SiteConfig } from '../config/schema.js';
import { vpnOfPath } from '../config/site.js';
import type { VpnConnectionState } from '../domain/snapshot.js';
import type { Signal, VpnTarget } from '../events/signal.js';
import { type Condition, noticeCondition, signalCondition, siteCondition } from '../incidents/condition.js';
import { IncidentConflictError } from '../incidents/errors.js';
import { evolve, type Observation } from '../incidents/lifecycle.js';
import type { DeliveryChannel, Incident, PendingChange } from '../incidents/model.js';
import type { IncidentEvent, IncidentPublisher, IncidentStore } from '../incidents/ports.js';
import type { Plan } from '../policy/plan.js';
import type { ModeReading } from '../store/mode.js';
import { DeliveryIncompleteError } from './errors.js';
import { modeFallbackReason, modeNote } from './mode-note.js';
import { type DeliveryFailure, deliverOutbox, withOutbox } from './outbox.js';
import { planEntries, signalEntry } from './timeline.js';

export interface RecordDeps {
  readonly store: IncidentStore;
  readonly publisher: IncidentPublisher;
  readonly relapseWindowMs: number;
  /** Called once per change delivered to EventBridge (its record), e.g. to emit metrics. */
  readonly onChange?: (event: IncidentEvent) => void;
  /** Called for each delivery that failed (the change stays owed on that channel), e.g. to count it. */
  readonly onDeliveryFailure?: (failure: DeliveryFailure) => void;
  /** The kill switch as this run read it: a site whose run fell back to dry-run says so in its incident. */
  readonly mode?: ModeReading;
}

/** The deps of one run, carrying the mode it read (the incidents of a silent dry-run would not say why). */
export function withModeReading<T extends { readonly incidents: RecordDeps }>(deps: T, mode: ModeReading): T {
  return { ...deps, incidents: { ...deps.incidents, mode } };
}

const MAX_ATTEMPTS = 5;

/**
 * read → evolve → conditional save (with the changes in the incident's outbox) → append → deliver
 * the outbox, channel by channel → save what is still owed; re-read on a conflict. A run that dies
 * after saving leaves the outbox for the next run, which delivers it first. Timeline entries have
 * deterministic ids, so a redelivered event writes each entry once.
 *
 * A failed delivery does not stop the other channel nor the recording: everything is saved, the
 * outbox keeps what is owed, and then DeliveryIncompleteError is thrown, so an alarm or Health run
 * is retried by Lambda (and a sweep counts the site as incomplete); the retry sends only what is owed.
 */
export async function recordObservation(obs: Observation, deps: RecordDeps): Promise<IncidentEvent[]> {
  const stuck = new Set<DeliveryChannel>();
  const failures: DeliveryFailure[] = [];
  const events: IncidentEvent[] = [];
  const deliver = async (...args: Parameters<typeof deliverOutbox>) => {
    const delivered = await deliverOutbox(...args);
    events.push(...delivered.events);
    failures.push(...delivered.failures);
    return delivered.left;
  };
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.current(obs.subject);
    const evolution = evolve(current, obs, deps.relapseWindowMs);
    // An earlier incident's leftovers go out before a new incident takes the subject's pointer. What
    // a stuck channel still owes moves into the new incident's outbox (naming its own incident), so
    // the new incident is not held back and the old changes are not lost when the pointer moves on.
    let superseded: PendingChange[] = [];
    if (
      current?.unpublished !== undefined &&
      evolution.incident !== undefined &&
      evolution.incident.id !== current.id
    ) {
      const left = await deliver(current, [], undefined, deps, stuck);
      superseded = left.map((p) => ({ ...p, incidentId: p.incidentId ?? current.id }));
    }
    let saved: Incident | undefined;
    if (evolution.incident !== undefined) {
      const carried = evolution.incident.id === current?.id ? (current.unpublished ?? []) : superseded;
      const fresh = evolution.changes.map((change) => ({
        change,
        version: evolution.incident?.version ?? 0,
      }));
      saved = withOutbox(evolution.incident, [...carried, ...fresh]);
      try {
        await deps.store.save(saved, evolution.expectedVersion);
      } catch (error) {
        if (error instanceof IncidentConflictError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
    await deps.store.append(evolution.entries);
    const target = saved ?? current;
    if (target !== undefined) {
      const previous = current?.id === target.id ? current.severity : undefined;
      await deliver(target, evolution.entries, previous, deps, stuck);
    }
    if (failures.length > 0) throw new DeliveryIncompleteError(failures);
    return events;
  }
}

/**
 * When the trouble began, from the snapshot: for a path that is down, when its last tunnel went down
 * (the latest change among its tunnels); otherwise, the earliest DOWN tunnel of the active path.
 * A backup tunnel that has been down for weeks does not date an outage of the primary.
 */
function failureStart(r: SiteRecord): string | undefined {
  const tunnelsOf = (name: string | undefined) => {
    const path = r.site.paths.find((p) => p.name === name);
    return (path === undefined ? undefined : vpnOfPath(path, r.vpns))?.tunnels ?? [];
  };
  const pathsDown = r.plan.paths
    .filter((p) => p.health === 'down')
    .map((p) =>
      tunnelsOf(p.name)
        .map((t) => t.lastStatusChange)
        .sort()
        .at(-1),
    );
  const downSince = pathsDown.filter((t): t is string => t !== undefined).sort()[0];
  if (downSince !== undefined) return downSince;
  return tunnelsOf(r.plan.activePath)
    .filter((t) => t.status === 'DOWN')
    .map((t) => t.lastStatusChange)
    .sort()[0];
}

export interface SiteRecord {
  readonly signal: Signal;
  readonly site: SiteConfig;
  readonly plan: Plan;
  readonly results: readonly ActionResult[];
  readonly vpns: Readonly<Record<string, VpnConnectionState>>;
  readonly observedAt: string;
  /** The kill switch as the run read it (see RecordDeps.mode). */
  readonly mode?: ModeReading | undefined;
}

/** A site's observation: the plan decides its condition; a drill or a Health notice on a healthy site is a record. */
export function siteObservation(r: SiteRecord): Observation {
  const { signal, plan } = r;
  const withheld = modeFallbackReason(r.mode);
  const entries = [
    signalEntry(signal),
    ...planEntries(signal.origin.eventId, r.observedAt, plan, r.results),
    ...(withheld === undefined ? [] : [modeNote(signal.origin.eventId, r.observedAt, plan, withheld)]),
  ];
  const applied = r.results.length > 0 && r.results.every((x) => x.outcome !== 'failed');
  const desired = plan.paths.find((p) => p.name === plan.desiredPath);
  const mitigated = desired?.health === 'healthy' && (plan.activePath === plan.desiredPath || applied);
  const base = {
    eventId: signal.origin.eventId,
    observedAt: r.observedAt,
    mitigated,
    entries,
  };
  const startedAt = failureStart(r);
  const started = startedAt === undefined ? {} : { failureStartedAt: startedAt };
  if ('drill' in signal) {
    const condition: Condition = {
      healthy: false,
      kind: 'drill',
      severity: 'info',
      summary: explained(`drill ${signal.drill.scenario} (${signal.drill.mode}): ${plan.decision}`, withheld),
    };
    return { ...base, subject: `drill:${r.site.name}`, condition, notice: true };
  }
  const landed =
    plan.mode === 'enabled' &&
    plan.deferred.length === 0 &&
    r.results.length === plan.actions.length &&
    r.results.every((x) => x.outcome !== 'failed');
  const judged = siteCondition(plan, r.site.paths[0]?.name ?? '', landed);
  // The summary is the page's first line: a trouble left in place because the switch is broken says so.
  const condition: Condition = judged.healthy
    ? judged
    : { ...judged, summary: explained(judged.summary, withheld) };
  const notice = condition.healthy ? noticeCondition(signal) : undefined;
  // Notices on a healthy site are kept apart from its outages: a notice never reopens, updates or
  // resolves an outage, and an outage never reopens a notice.
  if (notice !== undefined)
    return { ...base, subject: `notice:${r.site.name}`, condition: notice, notice: true };
  return { ...base, ...started, subject: r.site.name, condition, notice: false };
}

const explained = (summary: string, reason: string | undefined) =>
  reason === undefined ? summary : `${summary}; ${reason}`;

/** A connection of no configured site: its signals alone say what is wrong, keyed by VPN (or tunnel IP). */
export function unmanagedObservation(
  signal: Signal,
  target: VpnTarget & { readonly code?: string },
): Observation {
  const subject =
    target.vpnId !== undefined
      ? `vpn:${target.vpnId}`
      : target.code !== undefined
        ? `aws-health:${target.code}`
        : `tunnel:${target.tunnelIps.join('+')}`;
  const notice = noticeCondition(signal);
  return {
    subject,
    eventId: signal.origin.eventId,
    condition: notice ?? signalCondition(signal),
    notice: notice !== undefined,
    observedAt: signal.origin.occurredAt,
    mitigated: false,
    entries: [signalEntry(signal)],
  };
}
