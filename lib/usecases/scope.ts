import type { Config, SiteConfig } from '../config/schema.js';
import { managedVpnIds, siteVpnIds } from '../config/site.js';
import type { Signal, VpnTarget } from '../domain/signal.js';
import { type Snapshot, vpnOfTunnel } from '../domain/snapshot.js';
import { UnknownSiteError } from './errors.js';

export interface Scope {
  readonly sites: readonly SiteConfig[];
  /** Targets that name no VPN of any configured site: recorded, never acted on. */
  readonly unmanaged: readonly VpnTarget[];
}

/** A target the event says belongs to an account other than the one that received it (this stack's). */
export function isForeign(signal: Signal, target: VpnTarget): boolean {
  return target.account !== undefined && target.account !== signal.origin.account;
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
    // Another account's VPN (an organizational view, another account's global network): this stack
    // observes and changes its own account only, so the target is recorded, never looked up.
    if (isForeign(signal, target)) {
      unmanaged.push(target);
      continue;
    }
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
