import type { SitePolicy } from '../config/load.js';
import type { Mode, PathConfig, SiteConfig } from '../config/schema.js';
import type { RouteAction } from '../domain/actions.js';
import type { Snapshot } from '../domain/snapshot.js';
import { activePathOf, pathsInUse } from './active-path.js';
import { choosePath, type RoutesInUse } from './choose-path.js';
import { convergeTo, repairDrift } from './converge.js';
import { asymmetryFindings, settleTimes } from './failback.js';
import { type HandsOff, handsOff, respectOperator } from './operator.js';
import { assessPath, holdDownElapsed } from './path-health.js';
import type { Decision, Finding, PathAssessment, Plan, SiteHistory } from './plan.js';
import { shadowingFindings } from './shadowing.js';
import { keepOnUnknown, telemetryFindings } from './unknown-health.js';

export interface DecideInput {
  readonly site: SiteConfig;
  readonly policy: SitePolicy;
  readonly snapshot: Snapshot;
  readonly history: SiteHistory;
  readonly mode: Mode;
  /** Epoch milliseconds: the clock is an input, so decisions replay exactly. */
  readonly now: number;
}

function pathFindings(paths: readonly PathAssessment[], active: string | undefined): Finding[] {
  return paths.flatMap((p): Finding[] => {
    if (p.health === 'unknown') return [];
    if (p.health === 'down')
      return [
        {
          code: 'path-down',
          severity: p.name === active ? 'critical' : 'major',
          path: p.name,
          message: p.reason,
        },
      ];
    if (p.tunnelsUp < p.tunnelsTotal) {
      return [
        {
          code: 'redundancy-lost',
          severity: 'minor',
          path: p.name,
          message: `${p.reason}: no tunnel redundancy`,
        },
      ];
    }
    return [];
  });
}

/**
 * The change cap bounds failback and repair, never a failover: every route still on a dead path moves
 * now (a capped failover left 4 of 24 routes on the dead primary until the next sweep). Drift repair
 * shares whatever room the cap has left.
 */
function capChanges(
  decision: Decision,
  moves: readonly RouteAction[],
  drift: readonly RouteAction[],
  cap: number,
): { readonly actions: RouteAction[]; readonly deferred: RouteAction[] } {
  // Leaving a dead path for one of unknown health (no-healthy-path with moves) is a failover too.
  const failover = decision === 'failover' || decision === 'no-healthy-path';
  const uncapped = failover ? moves : [];
  const capped = failover ? drift : [...moves, ...drift];
  const room = Math.max(0, cap - uncapped.length);
  return { actions: [...uncapped, ...capped.slice(0, room)], deferred: capped.slice(room) };
}

/**
 * The policy: (snapshot, site, history, mode, clock) → Plan. Pure: no I/O, no clock reads, no SDK.
 * Route changes only ever point at the chosen path, which is healthy by construction; drift repair
 * never moves traffic. Failback and repair changes beyond the site's cap are deferred (see capChanges).
 */
export function decide(input: DecideInput): Plan {
  const { site, policy, snapshot, history, mode, now } = input;
  const paths = site.paths.map((p) => assessPath(p, snapshot, history, policy, now, site));
  const activePath = activePathOf(site, snapshot);
  const settle = settleTimes(site, paths, snapshot, policy);
  const choice = choosePath(paths, routesInUse(site, snapshot, activePath), policy, now, settle);
  const findings: Finding[] = [
    ...pathFindings(paths, activePath),
    ...telemetryFindings(site, snapshot, paths, activePath),
    ...choice.findings,
    ...asymmetryFindings(site, paths, snapshot, activePath, policy, now),
    ...(activePath === undefined ? [UNKNOWN_ACTIVE_PATH] : []),
    ...shadowingFindings(site, snapshot),
  ];
  const desiredConfig = choice.desired === undefined ? undefined : site.paths[choice.desired];
  const desiredName = desiredConfig?.name ?? 'none';
  const known = movesToward(input, paths, choice.decision, desiredConfig, findings, settle);
  const owned = handsOff(site, snapshot, now);
  findings.push(...owned.findings);
  const moves = respectOperator(known.actions, site, snapshot, owned, desiredConfig?.name);
  const chosen = decisionAfterMoves(choice.decision, known.kept + moves.left, moves.actions.length);
  const drift = driftToRepair(input, desiredConfig?.name, owned, findings);
  if (chosen === 'failover' || chosen === 'failback') {
    findings.push({
      code: chosen,
      severity: chosen === 'failover' ? 'major' : 'info',
      message: `${chosen} from ${activePath ?? 'none'} to ${desiredName}`,
    });
  }
  const all = [...moves.actions, ...drift];
  const { actions, deferred } = capChanges(chosen, moves.actions, drift, policy.maxChangesPerRun);
  if (deferred.length > 0) {
    findings.push({
      code: 'change-cap-reached',
      severity: 'major',
      message: `${deferred.length} change(s) deferred (cap ${policy.maxChangesPerRun}): the run counts as incomplete and is retried`,
    });
  }
  const decision = chosen === 'steady' && all.length > 0 ? 'repair' : chosen;
  return {
    site: site.name,
    decidedAt: new Date(now).toISOString(),
    mode,
    decision,
    paths,
    ...(activePath === undefined ? {} : { activePath }),
    ...(desiredConfig === undefined ? {} : { desiredPath: desiredConfig.name }),
    actions,
    deferred,
    findings,
  };
}

const UNKNOWN_ACTIVE_PATH: Finding = {
  code: 'unknown-active-path',
  severity: 'minor',
  message: 'the managed routes do not all point at one path of this site',
};

/** Where the managed routes point now, as indexes into the site's paths. */
function routesInUse(site: SiteConfig, snapshot: Snapshot, activePath: string | undefined): RoutesInUse {
  const used = pathsInUse(site, snapshot);
  const indexOf = (name: string) => site.paths.findIndex((p) => p.name === name);
  return {
    ...(activePath === undefined ? {} : { active: indexOf(activePath) }),
    paths: new Set(used.flatMap((name) => (name === undefined ? [] : [indexOf(name)]))),
    complete: used.every((name) => name !== undefined),
  };
}

/**
 * The route changes that point the site at the desired path, less those that would move routes off a
 * path of unknown health (a failback excepted: known facts about the better path justify it). Their
 * findings join `findings`.
 */
function movesToward(
  input: DecideInput,
  paths: readonly PathAssessment[],
  decision: Decision,
  desired: PathConfig | undefined,
  findings: Finding[],
  settle: readonly number[],
): { readonly actions: RouteAction[]; readonly kept: number } {
  if (desired === undefined) return { actions: [], kept: 0 };
  const { site, snapshot, now } = input;
  const health = (name: string) => paths.find((p) => p.name === name)?.health;
  const settled = (name: string) => {
    const i = paths.findIndex((q) => q.name === name);
    const p = paths[i];
    // settle has one entry per path (settleTimes maps site.paths, as paths does).
    const wait = settle[i];
    return p !== undefined && wait !== undefined && !p.flapping && holdDownElapsed(p, wait, now);
  };
  const convergence = convergeTo(site, desired, snapshot, { health, settled });
  findings.push(...convergence.findings);
  const known =
    decision === 'failback'
      ? { actions: convergence.actions, kept: 0 }
      : keepOnUnknown(convergence.actions, site, snapshot, paths);
  if (known.kept > 0)
    findings.push({
      code: 'telemetry-missing',
      severity: 'major',
      message: `${known.kept} route(s) left on a path of unknown health instead of moving to ${desired.name}`,
    });
  return known;
}

/**
 * Nothing left to move: the plan holds rather than announcing a failover that changes nothing; a
 * failback that BGP does not take (its propagated route prefers another healthy path) is no move.
 */
function decisionAfterMoves(chosen: Decision, kept: number, moves: number): Decision {
  // No known-healthy path stays so (site-unreachable) whether or not routes moved off a dead path.
  if (chosen === 'no-healthy-path') return chosen;
  if (kept > 0 && moves === 0) return 'hold';
  if (chosen === 'failback' && moves === 0) return 'steady';
  return chosen;
}

/** The drift to repair, less what an operator holds; its findings join `findings`. */
function driftToRepair(
  input: DecideInput,
  desiredPath: string | undefined,
  owned: HandsOff,
  findings: Finding[],
): RouteAction[] {
  const { site, snapshot } = input;
  const repairs = repairDrift(site, snapshot, desiredPath);
  findings.push(...repairs.findings);
  const drift = respectOperator(repairs.actions, site, snapshot, owned, undefined).actions;
  if (drift.length > 0)
    findings.push({
      code: 'drift',
      severity: 'minor',
      message: `${drift.length} drifted setting(s) to repair`,
    });
  return drift;
}
