import type { SitePolicy } from '../config/load.js';
import type { Mode, SiteConfig } from '../config/schema.js';
import type { RouteAction } from '../domain/actions.js';
import type { Snapshot } from '../domain/snapshot.js';
import { activePathOf, pathsInUse } from './active-path.js';
import { choosePath } from './choose-path.js';
import { convergeTo, repairDrift } from './converge.js';
import { handsOff, respectOperator } from './operator.js';
import { assessPath, holdDownElapsed } from './path-health.js';
import type { Decision, Finding, PathAssessment, Plan, SiteHistory } from './plan.js';
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
  const used = pathsInUse(site, snapshot);
  const indexOf = (name: string) => site.paths.findIndex((p) => p.name === name);
  const use = {
    ...(activePath === undefined ? {} : { active: indexOf(activePath) }),
    paths: new Set(used.flatMap((name) => (name === undefined ? [] : [indexOf(name)]))),
    complete: used.every((name) => name !== undefined),
  };
  const choice = choosePath(paths, use, policy, now);
  const findings: Finding[] = [
    ...pathFindings(paths, activePath),
    ...telemetryFindings(site, snapshot, paths, activePath),
    ...choice.findings,
  ];
  if (activePath === undefined) {
    findings.push({
      code: 'unknown-active-path',
      severity: 'minor',
      message: 'the managed routes do not all point at one path of this site',
    });
  }
  const desiredConfig = choice.desired === undefined ? undefined : site.paths[choice.desired];
  const health = (name: string) => paths.find((p) => p.name === name)?.health;
  const settled = (name: string) => {
    const p = paths.find((q) => q.name === name);
    return p !== undefined && !p.flapping && holdDownElapsed(p, policy.holdDownMs, now);
  };
  const convergence =
    desiredConfig === undefined
      ? { actions: [], findings: [] }
      : convergeTo(site, desiredConfig, snapshot, { health, settled });
  findings.push(...convergence.findings);
  const known =
    choice.decision === 'failback'
      ? { actions: convergence.actions, kept: 0 }
      : keepOnUnknown(convergence.actions, site, snapshot, paths);
  if (known.kept > 0)
    findings.push({
      code: 'telemetry-missing',
      severity: 'major',
      message: `${known.kept} route(s) left on a path of unknown health instead of moving to ${desiredConfig?.name ?? 'none'}`,
    });
  const owned = handsOff(site, snapshot, now);
  findings.push(...owned.findings);
  const moves = respectOperator(known.actions, site, snapshot, owned, desiredConfig?.name);
  const kept = known.kept + moves.left;
  // Nothing left to move: the plan holds rather than announcing a failover that changes nothing; a
  // failback that BGP does not take (its propagated route prefers another healthy path) is no move.
  // No known-healthy path stays so (site-unreachable) whether or not routes moved off a dead path.
  const chosen =
    choice.decision === 'no-healthy-path'
      ? choice.decision
      : kept > 0 && moves.actions.length === 0
        ? 'hold'
        : choice.decision === 'failback' && moves.actions.length === 0
          ? 'steady'
          : choice.decision;
  const repairs = repairDrift(site, snapshot, desiredConfig?.name);
  findings.push(...repairs.findings);
  const drift = respectOperator(repairs.actions, site, snapshot, owned, undefined).actions;
  if (drift.length > 0)
    findings.push({
      code: 'drift',
      severity: 'minor',
      message: `${drift.length} drifted setting(s) to repair`,
    });
  if (chosen === 'failover' || chosen === 'failback') {
    findings.push({
      code: chosen,
      severity: chosen === 'failover' ? 'major' : 'info',
      message: `${chosen} from ${activePath ?? 'none'} to ${desiredConfig?.name ?? 'none'}`,
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
