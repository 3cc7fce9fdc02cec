import type { EC2Client } from '@aws-sdk/client-ec2';
import { observeRoutes } from '../aws/observe-routes.js';
import { observeVpnConnections } from '../aws/observe-vpn.js';
import { sitePolicy } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { managedVpnIds, siteRouteScope, vpnOfPath } from '../config/site.js';
import { snapshotAt } from '../domain/snapshot.js';
import type { Incident } from '../incidents/model.js';
import type { IncidentStore } from '../incidents/ports.js';
import { decide } from '../policy/decide.js';
import type { Plan } from '../policy/plan.js';
import type { ModeReader, ModeReading } from '../store/mode.js';
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
    const routes = await observeRoutes(ec2, siteRouteScope(site));
    const snapshot = snapshotAt(now, vpns, routes);
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
        (vpnOfPath(p, vpns)?.tunnels ?? []).map((t) => ({
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
  const rows: string[][] = [];
  for (const s of status.sites) {
    const site = config.sites.find((c) => c.name === s.site);
    for (const [i, path] of s.plan.paths.entries()) {
      const cfg = site?.paths.find((p) => p.name === path.name);
      const via = cfg?.vpn ?? cfg?.transitGatewayAttachment ?? cfg?.vpcTarget?.id ?? '';
      const notFound = cfg?.vpn !== undefined && s.vpnsNotFound.includes(cfg.vpn);
      const tunnels = notFound
        ? `${cfg?.vpn ?? ''} not found`
        : (s.tunnels[path.name] ?? []).map((t) => `${t.ip} ${t.status}`).join(', ') || '—';
      rows.push([
        i === 0 ? s.site : '',
        path.name,
        via,
        tunnels,
        notFound ? 'NOT FOUND' : path.health === 'down' ? 'DOWN' : path.health,
        s.plan.activePath === path.name ? '◀ active' : '',
      ]);
    }
    const due =
      s.plan.actions.length > 0 ? ` — would ${s.plan.decision}: ${s.plan.actions.length} change(s)` : '';
    rows.push(['', `decision now: ${s.plan.decision}${due}`, '', '', '', '']);
  }
  const lines = [
    `status at ${status.at}`,
    formatMode(status.mode),
    '',
    columns(['SITE', 'PATH', 'VIA', 'TUNNELS', 'HEALTH', 'ACTIVE'], rows),
  ];
  lines.push('');
  if (status.openIncidents === undefined)
    lines.push('open incidents: not read (TUNNEL_WARDEN_TABLE is not set)');
  else if (status.openIncidents.length === 0) lines.push('open incidents: none');
  else {
    lines.push('open incidents:');
    for (const i of status.openIncidents)
      lines.push(`  ${i.id}  ${i.kind}  ${i.severity}  since ${i.startedAt}  ${i.summary}`);
  }
  const missing = status.sites.flatMap((s) => s.vpnsNotFound.map((vpn) => `${vpn} (${s.site})`));
  if (missing.length > 0)
    lines.push(
      `not found: ${missing.join(', ')}: DescribeVpnConnections does not know them (a typo in the configuration, or deleted)`,
    );
  return lines.join('\n');
}

/** `mode: dry-run (fallback: kill switch /tunnel-warden/mode unreadable (…); running dry-run)`. */
export function formatMode(mode: ModeReading): string {
  return `mode: ${mode.mode} (${mode.source}${mode.detail === undefined ? '' : `: ${mode.detail}`})`;
}
