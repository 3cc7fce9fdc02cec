import type { EC2Client } from '@aws-sdk/client-ec2';
import { observeRoutes, observeVpnConnections } from '../aws/observe.js';
import { sdkEc2Port } from '../aws/port.js';
import { sitePolicy } from '../config/load.js';
import type { Config, SiteConfig } from '../config/schema.js';
import type { Incident } from '../incidents/model.js';
import type { IncidentStore } from '../incidents/ports.js';
import { decide } from '../policy/decide.js';
import type { Plan } from '../policy/plan.js';
import { observeBehind } from '../usecases/observe-site.js';
import type { ModeReader, ModeReading } from '../usecases/ports.js';
import { managedVpnIds } from '../usecases/scope.js';
import { columns } from './incidents.js';

export interface SiteStatus {
  readonly site: string;
  readonly plan: Plan;
  readonly tunnels: Readonly<Record<string, readonly { readonly ip: string; readonly status: string }[]>>;
  /** Configured VPN connections DescribeVpnConnections does not know (a typo, or deleted): not DOWN, absent. */
  readonly vpnsNotFound: readonly string[];
}

export interface Status {
  readonly at: string;
  readonly sites: readonly SiteStatus[];
  readonly openIncidents: readonly Incident[] | undefined;
  /** The kill switch as the functions would read it now, and where that came from. */
  readonly mode: ModeReading;
}

/** A read-only look: one snapshot, the plan each site would get now (never applied), open incidents. */
export async function collectStatus(
  config: Config,
  ec2: EC2Client,
  incidents: IncidentStore | undefined,
  now: Date,
  modeReader: ModeReader,
): Promise<Status> {
  const mode = await modeReader.read(now);
  const vpns = await observeVpnConnections(ec2, managedVpnIds(config));
  const sites: SiteStatus[] = [];
  for (const site of config.sites) {
    const routes = await observeRoutes(ec2, {
      vpcRouteTableIds: site.routeTables.vpc,
      // Covering routes too, as the functions read them (lib/usecases/observe-site.ts).
      tgwRouteTables: site.routeTables.transitGateway.map((routeTableId) => ({
        routeTableId,
        destinations: site.prefixes,
        covering: true,
      })),
    });
    // Paths without a VPN are judged by what lies behind them, as the functions judge them.
    const snapshot = await observeBehind(sdkEc2Port(ec2), site, {
      takenAt: now.toISOString(),
      vpnConnections: vpns,
      ...routes,
    });
    const plan = decide({
      site,
      policy: sitePolicy(config, site),
      snapshot,
      history: { transitions: [] },
      mode: 'dry-run',
      now: now.getTime(),
    });
    const tunnels = Object.fromEntries(
      site.paths.map((p) => [
        p.name,
        (p.vpn === undefined ? [] : (vpns[p.vpn]?.tunnels ?? [])).map((t) => ({
          ip: t.outsideIp,
          status: t.status,
        })),
      ]),
    );
    const vpnsNotFound = site.paths.flatMap((p) =>
      p.vpn === undefined || vpns[p.vpn] !== undefined ? [] : [p.vpn],
    );
    sites.push({ site: site.name, plan, tunnels, vpnsNotFound });
  }
  const openIncidents =
    incidents === undefined ? undefined : await incidents.list({ status: 'open', limit: 50 });
  return { at: now.toISOString(), sites, openIncidents, mode };
}

export function formatStatus(status: Status, config: Config): string {
  const rows = status.sites.flatMap((s) =>
    siteRows(
      s,
      config.sites.find((c) => c.name === s.site),
    ),
  );
  const lines = [
    `status at ${status.at}`,
    formatMode(status.mode),
    '',
    columns(['SITE', 'PATH', 'VIA', 'TUNNELS', 'HEALTH', 'ACTIVE'], rows),
  ];
  lines.push('', ...incidentLines(status.openIncidents));
  const missing = status.sites.flatMap((s) => s.vpnsNotFound.map((vpn) => `${vpn} (${s.site})`));
  if (missing.length > 0)
    lines.push(
      `not found: ${missing.join(', ')}: DescribeVpnConnections does not know them (a typo in the configuration, or deleted)`,
    );
  return lines.join('\n');
}

/** A site's rows: one per path, then its decision now. */
function siteRows(s: SiteStatus, site: SiteConfig | undefined): string[][] {
  const rows = s.plan.paths.map((path, i) => pathRow(s, path, i === 0 ? s.site : '', site));
  const due =
    s.plan.actions.length > 0 ? ` — would ${s.plan.decision}: ${s.plan.actions.length} change(s)` : '';
  rows.push(['', `decision now: ${s.plan.decision}${due}`, '', '', '', '']);
  return rows;
}

function pathRow(
  s: SiteStatus,
  path: Plan['paths'][number],
  siteCell: string,
  site: SiteConfig | undefined,
): string[] {
  const cfg = site?.paths.find((p) => p.name === path.name);
  const via = cfg?.vpn ?? cfg?.transitGatewayAttachment ?? cfg?.vpcTarget ?? '';
  const notFound = cfg?.vpn !== undefined && s.vpnsNotFound.includes(cfg.vpn);
  const tunnels = notFound
    ? `${cfg?.vpn ?? ''} not found`
    : (s.tunnels[path.name] ?? []).map((t) => `${t.ip} ${t.status}`).join(', ') || '—';
  return [
    siteCell,
    path.name,
    via,
    tunnels,
    notFound ? 'NOT FOUND' : path.health === 'down' ? 'DOWN' : path.health,
    s.plan.activePath === path.name ? '◀ active' : '',
  ];
}

function incidentLines(open: Status['openIncidents']): string[] {
  if (open === undefined) return ['open incidents: not read (TUNNEL_WARDEN_TABLE is not set)'];
  if (open.length === 0) return ['open incidents: none'];
  return [
    'open incidents:',
    ...open.map((i) => `  ${i.id}  ${i.kind}  ${i.severity}  since ${i.startedAt}  ${i.summary}`),
  ];
}

/** `mode: dry-run (fallback: kill switch /tunnel-warden/mode unreadable (…); running dry-run)`. */
export function formatMode(mode: ModeReading): string {
  return `mode: ${mode.mode} (${mode.source}${mode.detail === undefined ? '' : `: ${mode.detail}`})`;
}
