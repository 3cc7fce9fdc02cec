/** What an on-call engineer reads first about a drill: its incidents, and each route that moved. */
import type { Config } from '../config/schema.js';
import { type IncidentStatus, incidentDurations } from '../incidents/model.js';
import type { CompactReport } from '../runtime/compact-report.js';
import type { Delivery } from '../twin/deliver.js';
import type { Twin } from '../twin/twin.js';
import { effectiveTarget } from './checks.js';

export interface IncidentSummary {
  readonly id: string;
  /** The site, or `vpn:<id>`. */
  readonly subject: string;
  readonly kind: string;
  readonly peakSeverity: string;
  readonly status: IncidentStatus;
  readonly summary: string;
  readonly detectedAt: string;
  readonly mitigatedAt?: string;
  readonly resolvedAt?: string;
  /** Seconds from the failure's start to detection, mitigation, resolution. */
  readonly ttd: number;
  readonly ttm?: number;
  readonly ttr?: number;
}

export interface RouteChange {
  readonly at: string;
  readonly site: string;
  readonly table: string;
  readonly destination: string;
  /** Target ids, or `none` / `blackhole`. */
  readonly before: string;
  readonly after: string;
}

export interface WatchedRoute {
  readonly site: string;
  readonly table: string;
  readonly destination: string;
}

/** Every (table, prefix) the configuration manages: the routes whose moves the summary reports. */
export function watchedRoutes(config: Config): readonly WatchedRoute[] {
  return config.sites.flatMap((site) =>
    [...site.routeTables.transitGateway, ...site.routeTables.vpc].flatMap((table) =>
      site.prefixes.map((destination) => ({ site: site.name, table, destination })),
    ),
  );
}

/** The effective targets of the watched routes now, in the same order. */
export function routeSnapshot(twin: Twin, watched: readonly WatchedRoute[]): readonly string[] {
  return watched.map((r) => effectiveTarget(twin, r.table, r.destination));
}

/** When a site's routes were changed by a function in these deliveries: the last run that changed one. */
function changedBy(deliveries: readonly Delivery[], site: string): string | undefined {
  const changing = deliveries.filter((d) => {
    const report = (d.result as { result?: Partial<CompactReport> } | undefined)?.result;
    return (report?.sites ?? []).some(
      (s) => s.site === site && s.status === 'applied' && s.results.some((r) => r.outcome === 'changed'),
    );
  });
  return changing.at(-1)?.at;
}

/**
 * The watched routes that differ between two snapshots taken around one step. A function's change is
 * timed by the run that made it; one the network made (a BGP route withdrawn) by `at`, the step's time.
 */
export function routeChanges(
  at: string,
  deliveries: readonly Delivery[],
  watched: readonly WatchedRoute[],
  before: readonly string[],
  after: readonly string[],
): RouteChange[] {
  return watched.flatMap((route, i) => {
    const [was, now] = [before[i] ?? 'none', after[i] ?? 'none'];
    if (was === now) return [];
    return [{ at: changedBy(deliveries, route.site) ?? at, ...route, before: was, after: now }];
  });
}

/** Target id → `seoul-dc backup`, for the targets the configuration's paths point at. */
export function targetLabels(config: Config): ReadonlyMap<string, string> {
  const labels = new Map<string, string>();
  for (const site of config.sites)
    for (const path of site.paths)
      for (const id of [path.transitGatewayAttachment, path.vpcTarget?.id])
        if (id !== undefined) labels.set(id, `${site.name} ${path.name}`);
  return labels;
}

/** Every incident the drill left in the store, oldest first, with its durations. */
export async function incidentSummaries(twin: Twin): Promise<IncidentSummary[]> {
  const incidents = await twin.incidents.list({ limit: 100 });
  return incidents
    .map((i) => ({
      id: i.id,
      subject: i.subject,
      kind: i.kind,
      peakSeverity: i.peakSeverity,
      status: i.status,
      summary: i.summary,
      detectedAt: i.detectedAt,
      ...(i.mitigatedAt === undefined ? {} : { mitigatedAt: i.mitigatedAt }),
      ...(i.resolvedAt === undefined ? {} : { resolvedAt: i.resolvedAt }),
      ...incidentDurations(i),
    }))
    .sort((a, b) => a.detectedAt.localeCompare(b.detectedAt));
}
