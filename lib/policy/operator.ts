import type { SiteConfig } from '../config/schema.js';
import { vpnOfPath } from '../config/site.js';
import type { RouteAction } from '../domain/actions.js';
import type { Snapshot } from '../domain/snapshot.js';
import { managedRoutes } from './active-path.js';
import type { Finding } from './plan.js';

/**
 * The tag an operator puts on a VPC route table or a VPN connection to take that scope back from
 * tunnel-warden: value empty or `true` holds until the tag is removed; an ISO 8601 time holds until then.
 */
export const HOLD_TAG = 'tunnel-warden:hold';

/** Whether a hold value (tag or site `hold:`) holds at `now`; a value not understood holds (fail safe). */
function holdUntil(value: string | boolean, now: number): { held: boolean; note: string } {
  if (value === false) return { held: false, note: '' };
  if (value === true || value === '' || value.toLowerCase() === 'true')
    return { held: true, note: 'until removed' };
  const until = Date.parse(value);
  if (Number.isNaN(until))
    return { held: true, note: `value "${value}" is neither true nor an ISO time: held until removed` };
  return until > now
    ? { held: true, note: `until ${new Date(until).toISOString()}` }
    : { held: false, note: '' };
}

export interface HandsOff {
  /** Whether the whole site is held (`hold:` in the site config). */
  readonly siteHeld: boolean;
  /** VPC route tables an operator holds by tag. */
  readonly tables: ReadonlySet<string>;
  /** Paths whose VPN an operator holds by tag: no traffic moves onto or off them. */
  readonly paths: ReadonlySet<string>;
  /** `table|destination` of routes an operator pointed at a target outside the config. */
  readonly overrides: ReadonlySet<string>;
  readonly findings: readonly Finding[];
}

/** What the operator owns now: holds (site config, route table and VPN tags) and manual overrides. */
export function handsOff(site: SiteConfig, snapshot: Snapshot, now: number): HandsOff {
  const findings: Finding[] = [];
  const hold = (where: string, value: string | boolean): boolean => {
    const { held, note } = holdUntil(value, now);
    if (held)
      findings.push({
        code: 'operator-hold',
        severity: 'minor',
        message: `${where} is held by an operator (${note}): tunnel-warden changes nothing there`,
      });
    return held;
  };
  const siteHeld = site.hold !== undefined && hold(`site ${site.name} (hold: in the config)`, site.hold);
  const tables = new Set(
    site.routeTables.vpc.filter((id) => {
      const value = snapshot.vpcRouteTables[id]?.tags[HOLD_TAG];
      return value !== undefined && hold(`route table ${id} (tag ${HOLD_TAG})`, value);
    }),
  );
  const paths = new Set(
    site.paths.flatMap((p) => {
      const value = vpnOfPath(p, snapshot.vpnConnections)?.tags[HOLD_TAG];
      return value !== undefined && hold(`path ${p.name}: ${p.vpn} (tag ${HOLD_TAG})`, value) ? [p.name] : [];
    }),
  );
  const overrides = new Set<string>();
  if (site.enforce !== true) {
    for (const route of managedRoutes(site, snapshot)) {
      if (route.path !== undefined || route.target === undefined) continue;
      overrides.add(`${route.routeTableId}|${route.destination}`);
      findings.push({
        code: 'manual-override',
        severity: 'major',
        message: `${route.routeTableId} routes ${route.destination} to ${route.target}, which is not a path of ${site.name}: an operator's override, left as it is (set enforce: true on the site to revert such routes)`,
      });
    }
  }
  return { siteHeld, tables, paths, overrides, findings };
}

function routeKey(action: RouteAction): string | undefined {
  return 'destination' in action && 'routeTableId' in action
    ? `${action.routeTableId}|${action.destination}`
    : undefined;
}

/**
 * The actions that leave the operator's scopes alone: nothing on a held site; nothing on a held route
 * table; no route moved off or onto a held path, nor that VPN's static routes; no manual override
 * reverted. Returns the kept actions and how many were left out.
 */
export function respectOperator(
  actions: readonly RouteAction[],
  site: SiteConfig,
  snapshot: Snapshot,
  owned: HandsOff,
  desiredPath: string | undefined,
): { readonly actions: RouteAction[]; readonly left: number } {
  if (owned.siteHeld) return { actions: [], left: actions.length };
  const onHeld = new Set(
    managedRoutes(site, snapshot)
      .filter((r) => r.path !== undefined && owned.paths.has(r.path))
      .map((r) => `${r.routeTableId}|${r.destination}`),
  );
  const heldVpns = new Set(site.paths.filter((p) => owned.paths.has(p.name)).map((p) => p.vpn));
  const moveOntoHeld = desiredPath !== undefined && owned.paths.has(desiredPath);
  const keep = actions.filter((a) => {
    if (a.type === 'vpn-static-route' || a.type === 'tunnel-replacement') return !heldVpns.has(a.vpnId);
    if (owned.tables.has(a.routeTableId)) return false;
    const key = routeKey(a);
    if (key === undefined) return true;
    if (owned.overrides.has(key) || onHeld.has(key)) return false;
    // Only route moves get here with a desired path (drift is checked without one).
    return !moveOntoHeld;
  });
  return { actions: keep, left: actions.length - keep.length };
}
