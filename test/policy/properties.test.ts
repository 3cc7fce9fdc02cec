import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteAction } from '../../lib/domain/actions.js';
import { type Snapshot, tgwRouteAttachments } from '../../lib/domain/snapshot.js';
import { effectiveVpcRoute } from '../../lib/policy/active-path.js';
import { decide } from '../../lib/policy/decide.js';
import type { Plan } from '../../lib/policy/plan.js';
import { bgpCarries } from '../../lib/policy/tgw-converge.js';
import { type World, worldArb } from './arbitraries.js';
import { BUSAN_BEHIND_VPN } from './builders.js';
import { applyModel, hasRoute } from './model.js';

const SITES = ['seoul-dc', 'busan-dc', 'gimpo-dc'] as const;
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) };

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
      // busan's tgw-backup is as healthy as the VPN its TGW route table sends busan over.
      const vpnId = p.vpn ?? (p.vpcTarget?.kind === 'transit-gateway' ? BUSAN_BEHIND_VPN : undefined);
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

describe.each(SITES)('policy properties for %s', (siteName) => {
  it('never moves traffic off a path whose health is unknown, except a failback to a settled healthy path', () => {
    fc.assert(
      fc.property(worldArb(siteName), (world) => {
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
      }),
      RUNS,
    );
  });

  it('never routes to a path not known healthy, except off a dead path onto an unknown one, flagged', () => {
    fc.assert(
      fc.property(worldArb(siteName), (world) => {
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
      }),
      RUNS,
    );
  });

  it('says the site is unreachable (no-healthy-path) whenever no path is known healthy', () => {
    fc.assert(
      fc.property(worldArb(siteName), (world) => {
        const plan = planFor(world);
        if (plan.paths.some((p) => p.health === 'healthy')) return;
        expect(plan.decision).toBe('no-healthy-path');
        expect(plan.findings).toContainEqual(
          expect.objectContaining({ code: 'no-healthy-path', severity: 'critical' }),
        );
      }),
      RUNS,
    );
  });

  it('judges a path without a VPN by the VPN behind it: healthy only when that VPN carries traffic', () => {
    fc.assert(
      fc.property(worldArb(siteName), (world) => {
        const plan = planFor(world);
        for (const path of world.site.paths.filter((p) => p.vpn === undefined)) {
          const health = plan.paths.find((p) => p.name === path.name)?.health;
          const behind = world.snapshot.vpnConnections[BUSAN_BEHIND_VPN];
          const carries =
            behind?.state === 'available' &&
            behind.tunnels.some((t) => t.status === 'UP') &&
            (behind.staticRoutesOnly || behind.tunnels.some((t) => t.acceptedRouteCount > 0));
          if (health === 'healthy') expect(carries, path.name).toBe(true);
          if (carries) expect(health, path.name).toBe('healthy');
        }
      }),
      RUNS,
    );
  });

  it('never leaves a configured prefix without a route it had', () => {
    fc.assert(
      fc.property(worldArb(siteName), (world) => {
        const after = applyModel(world.snapshot, planFor(world).actions, world.site);
        for (const table of [...world.site.routeTables.transitGateway, ...world.site.routeTables.vpc]) {
          for (const prefix of world.site.prefixes) {
            if (hasRoute(world.snapshot, table, prefix))
              expect(hasRoute(after, table, prefix), `${table} ${prefix}`).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('never defers a route move of a failover (the change cap is for failback and repair)', () => {
    fc.assert(
      fc.property(worldArb(siteName), (world) => {
        const plan = planFor(world);
        if (plan.decision !== 'failover') return;
        const moves = ['tgw-route', 'tgw-route-absent', 'vpc-static-route', 'vpc-static-route-absent'];
        expect(plan.deferred.filter((a) => moves.includes(a.type))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never fails back before the hold-down, nor to a flapping path', () => {
    fc.assert(
      fc.property(worldArb(siteName), (world) => {
        const plan = planFor(world);
        const names = world.site.paths.map((p) => p.name);
        const active = plan.activePath === undefined ? -1 : names.indexOf(plan.activePath);
        const desired = plan.desiredPath === undefined ? -1 : names.indexOf(plan.desiredPath);
        const activeHealthy = plan.paths[active]?.health === 'healthy';
        if (!activeHealthy || desired < 0 || desired >= active) return;
        const target = plan.paths[desired];
        expect(target?.flapping).toBe(false);
        const since = target?.healthySince;
        if (since !== undefined)
          expect(world.now - Date.parse(since)).toBeGreaterThanOrEqual(world.policy.holdDownMs);
      }),
      RUNS,
    );
  });

  it('converges to the same routes after any prefix of a plan followed by re-runs', () => {
    fc.assert(
      fc.property(worldArb(siteName), fc.nat(), (world, cut) => {
        const plan = planFor(world);
        const whole = converge(world, world.snapshot);
        const partial = applyModel(
          world.snapshot,
          plan.actions.slice(0, cut % (plan.actions.length + 1)),
          world.site,
        );
        expect(managedRoutes(world, converge(world, partial))).toBe(managedRoutes(world, whole));
        // And a converged state is a fixpoint: running again plans nothing.
        expect(planFor(world, whole).actions).toEqual([]);
      }),
      RUNS,
    );
  });
});
