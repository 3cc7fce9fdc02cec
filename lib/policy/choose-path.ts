import type { SitePolicy } from '../config/load.js';
import { healthySinceMs, holdDownElapsed, holdDownRemaining } from './path-health.js';
import type { Decision, Finding, PathAssessment } from './plan.js';

/** Where the site's managed routes point now. */
export interface RoutesInUse {
  /** The one path every route points at, if they agree. */
  readonly active?: number;
  /** Every path some route points at. */
  readonly paths: ReadonlySet<number>;
  /** False when some route is missing, blackholed, or points at nothing of this site. */
  readonly complete: boolean;
}

export interface Choice {
  readonly decision: Decision;
  /** Index into the site's paths; undefined when no path is healthy. */
  readonly desired?: number;
  readonly findings: Finding[];
}

function minutes(ms: number): string {
  return `${Math.ceil(ms / 60_000)} min`;
}

/** A better path that is healthy but may not take traffic back yet says why, for the timeline. */
function waitingFindings(
  better: readonly PathAssessment[],
  holdDownOf: (i: number) => number,
  now: number,
): Finding[] {
  return better
    .flatMap((p, i) => (p.health === 'healthy' ? [{ p, holdDownMs: holdDownOf(i) }] : []))
    .map(({ p, holdDownMs }): Finding => {
      if (p.flapping) {
        return {
          code: 'flapping',
          severity: 'major',
          path: p.name,
          message: `${p.name} changed state ${p.recentTransitions} times recently: holding the current path`,
        };
      }
      const remaining = holdDownRemaining(p, holdDownMs, now);
      return {
        code: 'failback-pending',
        severity: 'info',
        path: p.name,
        message: `${p.name} is healthy; failback after the hold-down, in ${minutes(remaining)}`,
      };
    });
}

/**
 * Among healthy, non-flapping paths some route already uses, the one healthy the longest: when no
 * path is settled, moving traffic to a better but younger path would be a failback before its
 * hold-down.
 */
function stableInUse(paths: readonly PathAssessment[], use: RoutesInUse): number | undefined {
  const candidates = paths.flatMap((p, i) =>
    use.paths.has(i) && p.health === 'healthy' && !p.flapping ? [{ i, since: healthySinceMs(p) }] : [],
  );
  return candidates.sort((a, b) => a.since - b.since || a.i - b.i)[0]?.i;
}

/** Nothing is known healthy: no route moves, and the plan says the site may be unreachable. */
function noHealthyPath(paths: readonly PathAssessment[]): Choice {
  const unknown = paths.filter((p) => p.health === 'unknown').map((p) => p.name);
  const what =
    unknown.length === 0 ? 'no path is healthy' : `no path is known healthy (unknown: ${unknown.join(', ')})`;
  return {
    decision: 'no-healthy-path',
    findings: [
      { code: 'no-healthy-path', severity: 'critical', message: `${what}: routes left as they are` },
    ],
  };
}

/**
 * Routes are on a dead path (or on none) and nothing is known healthy: traffic may leave the dead path
 * for the best path of unknown health — it cannot be worse than a dead one — but the site stays
 * `no-healthy-path` (site-unreachable) and the move is flagged `unverified-path`, since nobody can say
 * the traffic arrives. With no unknown path either, nothing moves.
 */
function leaveForUnknown(paths: readonly PathAssessment[]): Choice {
  const unknown = paths.flatMap((p, i) => (p.health === 'unknown' ? [i] : []));
  const target = unknown.find((i) => paths[i]?.flapping === false) ?? unknown[0];
  const chosen = target === undefined ? undefined : paths[target];
  if (target === undefined || chosen === undefined) return noHealthyPath(paths);
  const dead = paths.filter((p) => p.health === 'down').map((p) => p.name);
  return {
    decision: 'no-healthy-path',
    desired: target,
    findings: [
      {
        code: 'no-healthy-path',
        severity: 'critical',
        message: `no path is known healthy (down: ${dead.join(', ') || 'none'}; unknown: ${unknown.map((i) => paths[i]?.name).join(', ')}): routes on a dead path move to ${chosen.name}, whose health is unknown`,
      },
      {
        code: 'unverified-path',
        severity: 'major',
        path: chosen.name,
        message: `traffic leaves a dead path for ${chosen.name}, which is not verified healthy: ${chosen.reason}`,
      },
    ],
  };
}

/**
 * Which path should carry the site's traffic. A known-healthy path is chosen whenever there is one; a
 * path whose health is unknown (its telemetry could not be read, or nothing behind it can be followed)
 * is never a failback target and never a reason to move.
 * - Nothing is known healthy: routes stay, `no-healthy-path` — except that routes on a dead path (or on
 *   none) may leave it for the best path of unknown health, flagged (see leaveForUnknown).
 * - The active path is healthy, or its health is unknown: stay, unless a better path has been healthy
 *   for the hold-down and is not flapping (failback: known facts about the better path justify it).
 * - Otherwise (the active path died, its propagated routes went with it, a run stopped halfway, or
 *   someone edited the routes): the best path that may take traffic — settled past its hold-down and
 *   not flapping — else the healthy path in use the longest, else the best healthy path that is not
 *   flapping, else the best healthy path.
 *   Failover waits for no hold-down when nothing settled is left: a dead path carries no traffic.
 * What the second rule picks is never failed back from, and an interrupted run leaves the chosen path
 * in use (and still the longest healthy in use), so an interrupted run and a whole run choose the
 * same path: re-running converges (property-tested). Routes still on a path of unknown health are
 * left there by `decide`, whatever is chosen.
 */
export function choosePath(
  paths: readonly PathAssessment[],
  use: RoutesInUse,
  policy: SitePolicy,
  now: number,
  /** Per path, how long it must be healthy before traffic fails back to it (default: the hold-down; see failback.ts). */
  settleTimes: readonly number[] = [],
): Choice {
  const healthy = paths.flatMap((p, i) => (p.health === 'healthy' ? [i] : []));
  const holdDownOf = (i: number) => settleTimes[i] ?? policy.holdDownMs;
  const settled = (i: number) => {
    const p = paths[i];
    return p !== undefined && !p.flapping && holdDownElapsed(p, holdDownOf(i), now);
  };
  const { active } = use;
  const activeHealth = active === undefined ? undefined : paths[active]?.health;
  if (active !== undefined && (activeHealth === 'healthy' || activeHealth === 'unknown'))
    return stayOrFailBack(paths, healthy, active, settled, holdDownOf, now);
  const [best] = healthy;
  if (best === undefined) return nothingKnownHealthy(paths, use);
  const target =
    healthy.find(settled) ??
    stableInUse(paths, use) ??
    healthy.find((i) => paths[i]?.flapping === false) ??
    best;
  return { decision: moveKind(paths, use, target, settled), desired: target, findings: [] };
}

/**
 * The active path is healthy or of unknown health: fail back to a better path settled past its
 * hold-down, else stay (holding while a better path waits, or while the active one is unknown).
 */
function stayOrFailBack(
  paths: readonly PathAssessment[],
  healthy: readonly number[],
  active: number,
  settled: (i: number) => boolean,
  holdDownOf: (i: number) => number,
  now: number,
): Choice {
  // On a path nobody can vouch for and nothing known healthy: stay, and say the site may be unreachable.
  if (healthy.length === 0) return noHealthyPath(paths);
  const back = healthy.find((i) => i < active && settled(i));
  if (back !== undefined) return { decision: 'failback', desired: back, findings: [] };
  const waiting = waitingFindings(paths.slice(0, active), holdDownOf, now);
  const hold = waiting.length > 0 || paths[active]?.health === 'unknown';
  return { decision: hold ? 'hold' : 'steady', desired: active, findings: waiting };
}

/** Nothing is known healthy: routes on a dead path (or on none) may leave it for an unknown one. */
function nothingKnownHealthy(paths: readonly PathAssessment[], use: RoutesInUse): Choice {
  const deadInUse = !use.complete || [...use.paths].some((i) => paths[i]?.health === 'down');
  return deadInUse ? leaveForUnknown(paths) : noHealthyPath(paths);
}

/** What moving the routes to `target` is: finishing a failback, a failover from a dead path, or a repair. */
function moveKind(
  paths: readonly PathAssessment[],
  use: RoutesInUse,
  target: number,
  settled: (i: number) => boolean,
): Decision {
  const deadInUse =
    use.active !== undefined || !use.complete || [...use.paths].some((i) => paths[i]?.health === 'down');
  // Routes split between a settled better path and worse paths none of which is down: a failback that
  // a run began and did not finish (or BGP took some prefixes back). Finishing it is a failback too.
  const unfinishedFailback =
    use.complete &&
    use.paths.has(target) &&
    settled(target) &&
    [...use.paths].every((i) => i === target || (i > target && paths[i]?.health !== 'down'));
  if (unfinishedFailback) return 'failback';
  return deadInUse && paths.some((p) => p.health === 'down') ? 'failover' : 'repair';
}
