/**
 * Shadowing routes: a route more specific than a site prefix that sends part of it somewhere else than
 * the route carrying the prefix. Longest prefix wins, so whatever tunnel-warden does to the prefix's
 * route, the addresses inside the shadowing route go where it says. Reported, never changed: such a
 * route is someone's deliberate choice as often as a mistake. Pure.
 */
import type { SiteConfig } from '../config/schema.js';
import type { Snapshot, TgwRoute, VpcRoute } from '../domain/snapshot.js';
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

/** A table's routes, and how longest prefix reads them: which one carries a prefix, and where a route goes. */
interface TableReading<R extends { readonly destination: string }> {
  readonly tableId: string;
  readonly routes: readonly R[];
  readonly carrierOf: (routes: readonly R[], prefix: string) => R | undefined;
  readonly targetOf: (route: R) => string;
}

/** The routes of one table inside a prefix that go elsewhere than the route carrying the prefix. */
function shadowsIn<R extends { readonly destination: string }>(
  table: TableReading<R>,
  prefix: string,
): Finding[] {
  const carrier = table.carrierOf(table.routes, prefix);
  const carrierTarget = carrier === undefined ? 'nothing' : table.targetOf(carrier);
  return table.routes
    .filter((r) => prefixRelation(r.destination, prefix) === 'more-specific')
    .filter((r) => table.targetOf(r) !== carrierTarget)
    .map((r) => shadowFinding(table.tableId, r.destination, prefix, table.targetOf(r), carrierTarget));
}

/** Every route of the site's managed tables that shadows part of one of its prefixes. */
export function shadowingFindings(site: SiteConfig, snapshot: Snapshot): Finding[] {
  const vpc = site.routeTables.vpc.map(
    (tableId): TableReading<VpcRoute> => ({
      tableId,
      routes: snapshot.vpcRouteTables[tableId]?.routes ?? [],
      carrierOf: vpcCarrierOfPrefix,
      targetOf: vpcRouteTarget,
    }),
  );
  const tgw = site.routeTables.transitGateway.map(
    (tableId): TableReading<TgwRoute> => ({
      tableId,
      routes: snapshot.tgwRouteTables[tableId]?.routes ?? [],
      carrierOf: tgwCarrierOfPrefix,
      targetOf: tgwRouteTarget,
    }),
  );
  const shadows = [
    ...vpc.flatMap((t) => site.prefixes.flatMap((prefix) => shadowsIn(t, prefix))),
    ...tgw.flatMap((t) => site.prefixes.flatMap((prefix) => shadowsIn(t, prefix))),
  ];
  const incomplete = site.routeTables.transitGateway
    .filter((tableId) => snapshot.tgwRouteTables[tableId]?.moreSpecificIncomplete === true)
    .map(
      (tableId): Finding => ({
        code: 'shadowing-route',
        severity: 'minor',
        message: `${tableId} holds more routes inside ${site.prefixes.join(', ')} than one search returns: shadowing routes may be missing from this report`,
      }),
    );
  return [...shadows, ...incomplete];
}
