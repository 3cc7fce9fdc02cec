import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { RouteAction } from '../../lib/domain/actions.js';
import { type Snapshot, tgwRouteAttachments } from '../../lib/domain/snapshot.js';
import { effectiveVpcRoute } from '../../lib/policy/active-path.js';
import { decide } from '../../lib/policy/decide.js';
import type { Plan } from '../../lib/policy/plan.js';
import { bgpCarries } from '../../lib/policy/tgw-converge.js';
import { type World, worldArb } from './arbitraries.js';
import { applyModel, hasRoute } from './model.js';
import { topologyWorldArb } from './topology.js';

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) };

/**
 * The worlds each property runs on: the three demo sites, and random topologies with every path kind.
 * On random topologies each property must find at least FLOOR of its worlds relevant (a world where it
 * could fail), so that a generator drifting away from the interesting cases fails the suite instead of
 * passing vacuously; the demo sites lack some path kinds, so they have no floor.
 */
const FLOOR = 0.2;
const SOURCES = [
  { name: 'seoul-dc', arb: () => worldArb('seoul-dc'), floor: 0 },
  { name: 'busan-dc', arb: () => worldArb('busan-dc'), floor: 0 },
  { name: 'gimpo-dc', arb: () => worldArb('gimpo-dc'), floor: 0 },
  { name: 'random topologies', arb: topologyWorldArb, floor: FLOOR },
] as const;

/** Share of relevant worlds per property and source, printed once at the end. */
const shares: Record<string, string> = {};
afterAll(() => {
  console.info(
    `relevant cases per property:\n${Object.entries(shares)
      .map(([k, v]) => `  ${v}  ${k}`)
      .join('\n')}`,
  );
});

/**
 * Runs a property over `source`'s worlds; the check returns whether the world was relevant to it.
 * Asserts the source's floor of relevant worlds.
 */
function holds(source: (typeof SOURCES)[number], label: string, check: (world: World) => boolean): void {
  let runs = 0;
  let relevant = 0;
  fc.assert(
    fc.property(source.arb(), (world) => {
      runs++;
      if (check(world)) relevant++;
    }),
    RUNS,
  );
  const share = relevant / Math.max(1, runs);
  shares[`${source.name}: ${label}`] = `${(share * 100).toFixed(1).padStart(5)} %`;
  expect(share, `share of relevant worlds for "${label}" on ${source.name}`).toBeGreaterThanOrEqual(
    source.floor,
  );
}

const MOVES: readonly RouteAction['type'][] = [
  'tgw-route',
  'tgw-route-absent',
  'vpc-static-route',
  'vpc-static-route-absent',
];

function planFor(world: World, snapshot: Snapshot = world.snapshot): Plan {
  return decide({
    site: world.site,
    policy: world.policy,
    snapshot,
    history: { transitions: world.transitions },
    mode: 'enabled',
    now: world.now,
  });
}

/** Runs decide → apply until nothing is left to do; the policy must reach a fixpoint quickly. */
function converge(world: World, start: Snapshot): Snapshot {
  let snapshot = start;
  for (let round = 0; round < 10; round++) {
    const plan = planFor(world, snapshot);
    if (plan.actions.length === 0) return snapshot;
    snapshot = applyModel(snapshot, plan.actions, world.site);
  }
  throw new Error('the policy did not converge within 10 runs');
}

function managedRoutes(world: World, snapshot: Snapshot): string {
  const tables = [...world.site.routeTables.transitGateway, ...world.site.routeTables.vpc];
  return JSON.stringify(
    tables.map((id) => {
      const tgw = snapshot.tgwRouteTables[id]?.routes;
      const vpc = snapshot.vpcRouteTables[id];
      const routes = (tgw ?? vpc?.routes ?? []).filter((r) => world.site.prefixes.includes(r.destination));
      return [id, routes.map((r) => JSON.stringify(r)).sort(), vpc?.propagatingGateways ?? []];
    }),
  );
}

function targetPath(world: World, action: RouteAction): string | undefined {
  switch (action.type) {
    case 'tgw-route':
      return world.site.paths.find((p) => p.transitGatewayAttachment === action.attachmentId)?.name;
    case 'vpc-static-route':
      return world.site.paths.find((p) => p.vpcTarget?.id === action.target.id)?.name;
    case 'vpc-static-route-absent':
      return world.site.paths.find((p) => p.vpcTarget?.kind === 'vpn-gateway')?.name;
    case 'tgw-route-absent':
      // The propagated route takes over: the best BGP path whose customer gateway advertises.
      return world.site.paths.find((p) => bgpCarries(p, world.snapshot))?.name ?? 'nothing';
    default:
      return undefined;
  }
}

/**
 * The oracle for "unknown", from the snapshot alone: an available VPN with no tunnel carrying (UP, and
 * for BGP with accepted routes) and some tunnel's telemetry unreadable (or none reported at all), or
 * UP tunnels without routes on a VPN whose routing type is unreadable.
 */
function unknownPaths(world: World): Set<string> {
  return new Set(
    world.site.paths.flatMap((p) => {
      // A TGW backup is as healthy as the VPN its TGW route table sends the site over; an ENI is unknown.
      const behind = world.behind[p.name];
      if (behind?.kind === 'eni') return [p.name];
      if (behind?.kind === 'attachment' && behind.attachment === 'deleted') return [];
      if (behind?.kind === 'attachment' && behind.attachment !== 'vpn') return [p.name];
      if (behind?.kind === 'tgw' && behind.legs.every((l) => l === 'direct-connect')) return [p.name];
      // A leg with no route (or a blackhole) is known dead, so the path is down, not unknown.
      if (behind?.kind === 'tgw' && behind.legs.some((l) => l === 'none' || l === 'blackhole')) return [];
      const vpnId = p.vpn ?? behind?.vpnId;
      const vpn = vpnId === undefined ? undefined : world.snapshot.vpnConnections[vpnId];
      if (vpn === undefined || vpn.state !== 'available') return [];
      // A BGP tunnel carries only with accepted routes; whether the VPN is BGP may be unreadable.
      const routingUnknown = vpn.unreadable.some((u) => u.affects === 'routing');
      const isStatic = vpn.staticRoutesOnly && !routingUnknown;
      const up = vpn.tunnels.filter((t) => t.status === 'UP');
      if (up.some((t) => isStatic || t.acceptedRouteCount > 0)) return [];
      const unreadable = vpn.unreadable.some((u) => u.affects === 'health');
      if (unreadable || vpn.tunnels.length === 0) return [p.name];
      return routingUnknown && up.length > 0 ? [p.name] : [];
    }),
  );
}

/** The path a managed route (table × prefix) points at in the world's snapshot. */
function pathOfRoute(world: World, tableId: string, destination: string): string | undefined {
  const tgw = world.snapshot.tgwRouteTables[tableId];
  if (tgw !== undefined) {
    const route =
      tgw.routes.find((r) => r.destination === destination && r.type === 'static') ??
      tgw.routes.find((r) => r.destination === destination);
    const ids = route?.state === 'active' ? tgwRouteAttachments(route) : [];
    return world.site.paths.find(
      (p) => p.transitGatewayAttachment !== undefined && ids.includes(p.transitGatewayAttachment),
    )?.name;
  }
  const route = effectiveVpcRoute(world.snapshot.vpcRouteTables[tableId]?.routes ?? [], destination);
  const id = route?.state === 'active' ? route.target.id : undefined;
  return world.site.paths.find((p) => id !== undefined && p.vpcTarget?.id === id)?.name;
}

describe.each(SOURCES)('policy properties for $name', (source) => {
  it('never moves traffic off a path whose health is unknown, except a failback to a settled healthy path', () => {
    holds(source, 'off an unknown path only by failback', (world) => {
      const unknown = unknownPaths(world);
      const plan = planFor(world);
      for (const action of [...plan.actions, ...plan.deferred]) {
        if (!('destination' in action) || !('routeTableId' in action)) continue;
        const from = pathOfRoute(world, action.routeTableId, action.destination);
        if (from === undefined || !unknown.has(from)) continue;
        const to = targetPath(world, action);
        expect(plan.decision, `${action.type} moves ${action.destination} off ${from} → ${to}`).toBe(
          'failback',
        );
        const names = world.site.paths.map((p) => p.name);
        expect(names.indexOf(to ?? '')).toBeLessThan(names.indexOf(from));
        const target = world.site.paths.find((p) => p.name === to);
        const vpn = target?.vpn === undefined ? undefined : world.snapshot.vpnConnections[target.vpn];
        const up = vpn?.tunnels.filter((t) => t.status === 'UP') ?? [];
        if (target?.vpn !== undefined) expect(up.length).toBeGreaterThan(0);
        // Settled: UP continuously for the hold-down, i.e. since the earliest UP tunnel's last change.
        const since = Math.min(...up.map((t) => Date.parse(t.lastStatusChange)));
        if (up.length > 0) expect(world.now - since).toBeGreaterThanOrEqual(world.policy.holdDownMs);
      }
      // Relevant: some managed route is on a path whose health is unknown.
      return managedRouteKeys(world).some(([table, prefix]) => {
        const on = pathOfRoute(world, table, prefix);
        return on !== undefined && unknown.has(on);
      });
    });
  });

  it('never routes to a path not known healthy, except off a dead path onto an unknown one, flagged', () => {
    holds(source, 'never onto a path not known healthy', (world) => {
      const plan = planFor(world);
      const healthy = new Set(plan.paths.filter((p) => p.health === 'healthy').map((p) => p.name));
      const unknown = new Set(plan.paths.filter((p) => p.health === 'unknown').map((p) => p.name));
      for (const action of [...plan.actions, ...plan.deferred]) {
        const target = targetPath(world, action);
        if (target === undefined || healthy.has(target)) continue;
        // Nothing known healthy is left: leaving a dead path for an unknown one, said out loud.
        expect(healthy.size, `${action.type} → ${target}`).toBe(0);
        expect(unknown.has(target), `${action.type} → ${target}`).toBe(true);
        expect(plan.decision).toBe('no-healthy-path');
        expect(plan.findings).toContainEqual(
          expect.objectContaining({ code: 'unverified-path', path: target }),
        );
      }
      // Relevant: the plan moves routes while some path is not known healthy.
      const moves = [...plan.actions, ...plan.deferred].some((a) => MOVES.includes(a.type));
      return moves && healthy.size < plan.paths.length;
    });
  });

  it('says the site is unreachable (no-healthy-path) whenever no path is known healthy', () => {
    holds(source, 'unreachable when nothing is known healthy', (world) => {
      const plan = planFor(world);
      if (plan.paths.some((p) => p.health === 'healthy')) return false;
      expect(plan.decision).toBe('no-healthy-path');
      expect(plan.findings).toContainEqual(
        expect.objectContaining({ code: 'no-healthy-path', severity: 'critical' }),
      );
      return true;
    });
  });

  it('judges a path without a VPN by the VPN behind it: healthy only when that VPN carries traffic', () => {
    holds(source, 'a path without a VPN judged by what is behind it', (world) => {
      const plan = planFor(world);
      const withoutVpn = world.site.paths.filter((p) => p.vpn === undefined);
      for (const path of withoutVpn) {
        const health = plan.paths.find((p) => p.name === path.name)?.health;
        const behind = world.behind[path.name];
        // An ENI (or anything not followed to a VPN) is never known healthy.
        if (behind === undefined || behind.kind === 'eni') {
          expect(health, path.name).toBe('unknown');
          continue;
        }
        const vpn = world.snapshot.vpnConnections[behind.vpnId];
        if (behind.kind === 'attachment' && behind.attachment !== 'vpn') {
          expect(health, path.name).toBe(behind.attachment === 'deleted' ? 'down' : 'unknown');
          continue;
        }
        const carries =
          (behind.kind === 'attachment' || (behind.legs.every((l) => l === 'vpn') && !behind.unread)) &&
          vpn?.state === 'available' &&
          vpn.tunnels.some((t) => t.status === 'UP') &&
          (vpn.staticRoutesOnly || vpn.tunnels.some((t) => t.acceptedRouteCount > 0));
        if (health === 'healthy') expect(carries, path.name).toBe(true);
        if (carries) expect(health, path.name).toBe('healthy');
        const dark = behind.kind === 'tgw' && behind.legs.some((l) => l === 'none' || l === 'blackhole');
        // A leg known dead makes the path down — when the VPC table that leads to it was read.
        if (dark && !behind.unread) expect(health, path.name).toBe('down');
      }
      return withoutVpn.length > 0;
    });
  });

  it('never leaves a configured prefix without a route it had', () => {
    holds(source, 'no route lost', (world) => {
      const plan = planFor(world);
      const after = applyModel(world.snapshot, plan.actions, world.site);
      for (const [table, prefix] of managedRouteKeys(world)) {
        if (hasRoute(world.snapshot, table, prefix))
          expect(hasRoute(after, table, prefix), `${table} ${prefix}`).toBe(true);
      }
      // Relevant: the plan moves or removes a route.
      return plan.actions.some((a) => MOVES.includes(a.type));
    });
  });

  it('never defers a route move of a failover (the change cap is for failback and repair)', () => {
    holds(source, 'failover never capped', (world) => {
      const plan = planFor(world);
      if (plan.decision !== 'failover') return false;
      expect(plan.deferred.filter((a) => MOVES.includes(a.type))).toEqual([]);
      return true;
    });
  });

  it('never fails back before the hold-down, nor to a flapping path', () => {
    holds(source, 'no failback before the hold-down', (world) => {
      const plan = planFor(world);
      const names = world.site.paths.map((p) => p.name);
      const active = plan.activePath === undefined ? -1 : names.indexOf(plan.activePath);
      const desired = plan.desiredPath === undefined ? -1 : names.indexOf(plan.desiredPath);
      const activeHealthy = plan.paths[active]?.health === 'healthy';
      // Relevant: the active path is healthy and a better one is healthy but not settled (or flapping).
      const early = plan.paths
        .slice(0, Math.max(0, active))
        .some(
          (p) =>
            p.health === 'healthy' &&
            (p.flapping ||
              (p.healthySince !== undefined &&
                world.now - Date.parse(p.healthySince) < world.policy.holdDownMs)),
        );
      if (!activeHealthy || desired < 0 || desired >= active) return activeHealthy && early;
      const target = plan.paths[desired];
      expect(target?.flapping).toBe(false);
      const since = target?.healthySince;
      if (since !== undefined)
        expect(world.now - Date.parse(since)).toBeGreaterThanOrEqual(world.policy.holdDownMs);
      return activeHealthy && early;
    });
  });

  it('converges to the same routes after any prefix of a plan followed by re-runs', () => {
    holds(source, 'any prefix of a plan converges', (world) => {
      const plan = planFor(world);
      const whole = converge(world, world.snapshot);
      // Every cut of the plan, not one random cut: the plan is short.
      for (let cut = 0; cut < plan.actions.length; cut++) {
        // Nothing applied is the world as observed (which may not show every propagated route yet).
        const partial =
          cut === 0 ? world.snapshot : applyModel(world.snapshot, plan.actions.slice(0, cut), world.site);
        expect(managedRoutes(world, converge(world, partial)), `cut at ${cut}`).toBe(
          managedRoutes(world, whole),
        );
      }
      // And a converged state is a fixpoint: running again plans nothing.
      expect(planFor(world, whole).actions).toEqual([]);
      return plan.actions.length > 0;
    });
  });
});

/** Every managed route of the world's site, as (table, prefix). */
function managedRouteKeys(world: World): [string, string][] {
  const tables = [...world.site.routeTables.transitGateway, ...world.site.routeTables.vpc];
  return tables.flatMap((table) => world.site.prefixes.map((prefix): [string, string] => [table, prefix]));
}
