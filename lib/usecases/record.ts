import type { SiteConfig } from '../config/schema.js';
import { vpnOfPath } from '../config/site.js';
import type { ActionResult } from '../domain/apply-result.js';
import type { Severity } from '../domain/severity.js';
import type { Signal, VpnTarget } from '../domain/signal.js';
import type { VpnConnectionState } from '../domain/snapshot.js';
import { type Condition, noticeCondition, signalCondition, siteCondition } from '../incidents/condition.js';
import { IncidentConflictError } from '../incidents/errors.js';
import { type Evolution, evolve, type Observation } from '../incidents/lifecycle.js';
import type { DeliveryChannel, Incident, PendingChange } from '../incidents/model.js';
import type { IncidentEvent } from '../incidents/ports.js';
import type { RouteMove, RouteMovedDetail } from '../incidents/route-moved.js';
import { routeMovedDetail } from '../incidents/route-moved.js';
import type { Plan } from '../policy/plan.js';
import { DeliveryIncompleteError } from './errors.js';
import { modeFallbackReason, modeNote } from './mode-note.js';
import { deliverOutbox, withMovesOwed, withOutbox } from './outbox.js';
import type { DeliveryFailure, ModeReading, RecordDeps } from './ports.js';
import { routeMovesOf } from './route-moves.js';
import { planEntries, signalEntry } from './timeline.js';

/** An observation with the routes its run moved: their Route Moved events ride in the incident's outbox. */
export type RecordedObservation = Observation & { readonly routeMoves?: readonly RouteMove[] };

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
export async function recordObservation(
  obs: RecordedObservation,
  deps: RecordDeps,
): Promise<IncidentEvent[]> {
  const run = deliveryRun(deps);
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.current(obs.subject);
    const evolution = evolve(current, obs, deps.relapseWindowMs);
    const next = await withChangesOwed(current, evolution, run, obs.routeMoves ?? []);
    const retryable = attempt < MAX_ATTEMPTS;
    const saved =
      next === undefined || (await saveUnlessMoved(next, evolution.expectedVersion, deps, retryable));
    // Another run moved the incident since it was read: read it again and re-evolve.
    if (!saved) continue;
    await deps.store.append(evolution.entries);
    await deliverChanges(current, next, evolution.entries, run);
    return run.finish();
  }
}

/**
 * The evolved incident with its outbox: what it owed already, or what the incident it supersedes
 * still owes, then this evolution's changes. Undefined when the incident did not change.
 */
async function withChangesOwed(
  current: Incident | undefined,
  evolution: Evolution,
  run: DeliveryRun,
  moves: readonly RouteMove[],
): Promise<Incident | undefined> {
  // Routes moved but the incident did not change: the moves still need a carrier, so the incident as
  // read is saved again (one version up) owing them.
  const next =
    evolution.incident ??
    (moves.length > 0 && current !== undefined ? { ...current, version: current.version + 1 } : undefined);
  if (next === undefined) return undefined;
  const same = next.id === current?.id;
  const left = same ? undefined : await supersededLeftovers(current, run);
  const carried = same ? (current.unpublished ?? []) : (left?.changes ?? []);
  const movesCarried = same ? (current.unpublishedMoves ?? []) : (left?.moves ?? []);
  const fresh = evolution.changes.map((change) => ({ change, version: next.version }));
  const freshMoves = moves.map((m) => routeMovedDetail(m, next.id));
  return withMovesOwed(withOutbox(next, [...carried, ...fresh]), [...movesCarried, ...freshMoves]);
}

/**
 * An earlier incident's leftovers go out before a new incident takes the subject's pointer. What a
 * stuck channel still owes moves into the new incident's outbox (naming its own incident), so the
 * new incident is not held back and the old changes are not lost when the pointer moves on.
 */
async function supersededLeftovers(current: Incident | undefined, run: DeliveryRun): Promise<Leftovers> {
  if (current?.unpublished === undefined && current?.unpublishedMoves === undefined)
    return { changes: [], moves: [] };
  const left = await run.deliver(current, [], undefined);
  // A move names its incident in its detail already.
  return {
    changes: left.changes.map((p) => ({ ...p, incidentId: p.incidentId ?? current.id })),
    moves: left.moves,
  };
}

/** What an incident's outbox still owes after a delivery. */
interface Leftovers {
  readonly changes: PendingChange[];
  readonly moves: RouteMovedDetail[];
}

/**
 * Saves the incident unless another run moved it since it was read. False on such a conflict while
 * another attempt is allowed: the caller reads the incident again and re-evolves.
 */
async function saveUnlessMoved(
  incident: Incident,
  expectedVersion: number,
  deps: RecordDeps,
  retryable: boolean,
): Promise<boolean> {
  try {
    await deps.store.save(incident, expectedVersion);
    return true;
  } catch (error) {
    if (error instanceof IncidentConflictError && retryable) return false;
    throw error;
  }
}

/** Delivers the outbox of the incident as saved (or as read, when nothing changed), with this run's entries. */
async function deliverChanges(
  current: Incident | undefined,
  saved: Incident | undefined,
  entries: IncidentEvent['entries'],
  run: DeliveryRun,
): Promise<void> {
  const target = saved ?? current;
  if (target === undefined) return;
  // An escalation is judged against the severity the incident had before this observation.
  const previous = current?.id === target.id ? current.severity : undefined;
  await run.deliver(target, entries, previous);
}

/**
 * What one recording delivers, across its attempts: the events sent, the deliveries that failed,
 * and the channels that failed (not tried again in this run).
 */
interface DeliveryRun {
  /** Delivers an incident's outbox; returns what it still owes. */
  deliver(
    incident: Incident,
    entries: IncidentEvent['entries'],
    previous: Severity | undefined,
  ): Promise<Leftovers>;
  /** The events delivered; throws DeliveryIncompleteError when any delivery failed. */
  finish(): IncidentEvent[];
}

function deliveryRun(deps: RecordDeps): DeliveryRun {
  const stuck = new Set<DeliveryChannel>();
  const failures: DeliveryFailure[] = [];
  const events: IncidentEvent[] = [];
  return {
    async deliver(incident, entries, previous) {
      const delivered = await deliverOutbox(incident, entries, previous, deps, stuck);
      events.push(...delivered.events);
      failures.push(...delivered.failures);
      return { changes: delivered.left, moves: delivered.movesLeft };
    },
    finish() {
      if (failures.length > 0) throw new DeliveryIncompleteError(failures);
      return events;
    },
  };
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

/**
 * A site's observation: the plan decides its condition; a drill or a Health notice on a healthy site is
 * a record. The routes the run moved ride along (`routeMoves`).
 */
export function siteObservation(r: SiteRecord): RecordedObservation {
  const observation = judgedObservation(r);
  const moves = routeMovesOf(r.site, r.plan, r.results, r.signal.origin.eventId, r.observedAt);
  return moves.length === 0 ? observation : { ...observation, routeMoves: moves };
}

function judgedObservation(r: SiteRecord): Observation {
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
    ...recordKeyOf(signal),
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

/** The pages of one Health communication share a record (lifecycle.ts `recordKey`). */
export function recordKeyOf(signal: Signal): { readonly recordKey?: string } {
  return 'health' in signal && (signal.health.totalPages ?? 1) > 1
    ? { recordKey: signal.health.communication }
    : {};
}

/** A connection of no configured site: its signals alone say what is wrong, keyed by VPN (or tunnel IP). */
export function unmanagedObservation(
  signal: Signal,
  target: VpnTarget & { readonly code?: string },
): Observation {
  const where =
    target.vpnId !== undefined
      ? `vpn:${target.vpnId}`
      : target.code !== undefined
        ? `aws-health:${target.code}`
        : `tunnel:${target.tunnelIps.join('+')}`;
  // Another account's connection is its own subject, and its record says whose it is.
  const foreign = target.account !== undefined && target.account !== signal.origin.account;
  const subject = foreign ? `account:${target.account}:${where}` : where;
  const notice = noticeCondition(signal);
  const judged = notice ?? signalCondition(signal);
  const condition: Condition =
    foreign && !judged.healthy
      ? {
          ...judged,
          summary: `${judged.summary} (account ${target.account}, not this stack's: not acted on)`,
        }
      : judged;
  return {
    subject,
    eventId: signal.origin.eventId,
    ...recordKeyOf(signal),
    condition,
    notice: notice !== undefined,
    observedAt: signal.origin.occurredAt,
    mitigated: false,
    entries: [signalEntry(signal)],
  };
}
