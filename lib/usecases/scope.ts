import type { Config, SiteConfig } from '../config/schema.js';
import { managedVpnIds, siteVpnIds } from '../config/site.js';
import { type Snapshot, vpnOfTunnel } from '../domain/snapshot.js';
import type { Signal, VpnTarget } from '../events/signal.js';
import { UnknownSiteError } from './errors.js';

export interface Scope {
  readonly sites: readonly SiteConfig[];
  /** Targets that name no VPN of any configured site: recorded, never acted on. */
  readonly unmanaged: readonly VpnTarget[];
}

/**
 * The sites a signal concerns. A VPN signal names VPNs or tunnel IPs; IPs are mapped to their VPN
 * through the snapshot (DescribeVpnConnections), since the alarm may carry only `TunnelIpAddress`.
 */
export function sitesInScope(signal: Signal, config: Config, vpns: Pick<Snapshot, 'vpnConnections'>): Scope {
  if ('drill' in signal) {
    const site = config.sites.find((s) => s.name === signal.drill.site);
    if (site === undefined) {
      const known = config.sites.map((s) => s.name).join(', ');
      throw new UnknownSiteError(`no site named "${signal.drill.site}" is configured (sites: ${known})`);
    }
    return { sites: [site], unmanaged: [] };
  }
  if (!('targets' in signal)) return { sites: config.sites, unmanaged: [] };
  const vpnIds = new Set<string>();
  const managedIds = new Set(managedVpnIds(config));
  const unmanaged: VpnTarget[] = [];
  for (const target of signal.targets) {
    const resolved = [target.vpnId, ...target.tunnelIps.map((ip) => vpnOfTunnel(vpns, ip))].filter(
      (id): id is string => id !== undefined,
    );
    const managed = resolved.filter((id) => managedIds.has(id));
    if (managed.length === 0) unmanaged.push(target);
    for (const id of managed) vpnIds.add(id);
  }
  return {
    sites: config.sites.filter((s) => siteVpnIds(s).some((id) => vpnIds.has(id))),
    unmanaged,
  };
}
