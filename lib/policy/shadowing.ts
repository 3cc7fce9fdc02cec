/**
 * Shadowing routes: a route more specific than a site prefix that sends part of it somewhere else than
 * the route carrying the prefix. Longest prefix wins, so whatever tunnel-warden does to the prefix's
 * route, the addresses inside the shadowing route go where it says. Reported, never changed: such a
 * route is someone's deliberate choice as often as a mistake. Pure.
 */
import type { SiteConfig } from '../config/schema.js';
import type { Snapshot } from '../domain/snapshot.js';
import {
  prefixRelation,
  tgwCarrierOfPrefix,
  tgwRouteTarget,
  vpcCarrierOfPrefix,
  vpcRouteTarget,
} from './longest-prefix.js';
import type { Finding } from './plan.js';

function shadowFinding(
  table: string,
  destination: string,
  prefix: string,
  to: string,
  carrier: string,
): Finding {
  return {
    code: 'shadowing-route',
    severity: 'major',
    message: `${table} routes ${destination} (inside ${prefix}) to ${to}, not to ${carrier} like the rest of ${prefix}: longest prefix wins, so tunnel-warden's route does not carry those addresses (reported, not changed)`,
  };
}

/** Every route of the site's managed tables that shadows part of one of its prefixes. */
export function shadowingFindings(site: SiteConfig, snapshot: Snapshot): Finding[] {
  const out: Finding[] = [];
  for (const tableId of site.routeTables.vpc) {
    const routes = snapshot.vpcRouteTables[tableId]?.routes ?? [];
    for (const prefix of site.prefixes) {
      const carrier = vpcCarrierOfPrefix(routes, prefix);
      const carrierTarget = carrier === undefined ? 'nothing' : vpcRouteTarget(carrier);
      for (const r of routes) {
        if (prefixRelation(r.destination, prefix) !== 'more-specific') continue;
        if (vpcRouteTarget(r) === carrierTarget) continue;
        out.push(shadowFinding(tableId, r.destination, prefix, vpcRouteTarget(r), carrierTarget));
      }
    }
  }
  for (const tableId of site.routeTables.transitGateway) {
    const table = snapshot.tgwRouteTables[tableId];
    const routes = table?.routes ?? [];
    for (const prefix of site.prefixes) {
      const carrier = tgwCarrierOfPrefix(routes, prefix);
      const carrierTarget = carrier === undefined ? 'nothing' : tgwRouteTarget(carrier);
      for (const r of routes) {
        if (prefixRelation(r.destination, prefix) !== 'more-specific') continue;
        if (tgwRouteTarget(r) === carrierTarget) continue;
        out.push(shadowFinding(tableId, r.destination, prefix, tgwRouteTarget(r), carrierTarget));
      }
    }
    if (table?.moreSpecificIncomplete === true)
      out.push({
        code: 'shadowing-route',
        severity: 'minor',
        message: `${tableId} holds more routes inside ${site.prefixes.join(', ')} than one search returns: shadowing routes may be missing from this report`,
      });
  }
  return out;
}
