import { FAILBACK_DEFAULTS } from '../config/failback.js';
import type { SitePolicy } from '../config/load.js';
import type { PathConfig, SiteConfig } from '../config/schema.js';
import type { Snapshot } from '../domain/snapshot.js';
import type { Finding, PathAssessment } from './plan.js';

/**
 * Whether on-prem routes back to AWS over the path: a BGP VPN that is healthy (UP with accepted
 * routes, see assessVpn) is one the customer router has learned the VPC CIDR over. A static VPN, a
 * TGW or an ENI path says nothing about the customer's choice (their static configuration), so it is
 * never taken as the return path.
 */
function returnsOver(path: PathConfig, assessment: PathAssessment | undefined, snapshot: Snapshot): boolean {
  if (path.vpn === undefined || assessment?.health !== 'healthy') return false;
  const vpn = snapshot.vpnConnections[path.vpn];
  if (vpn === undefined || vpn.unreadable.some((u) => u.affects === 'routing')) return false;
  return !vpn.staticRoutesOnly;
}

/**
 * How long a path must have been healthy before traffic fails back to it. `hold-down`: the site's
 * hold-down for every path. `follow-return-path`: a BGP path that on-prem already returns over needs
 * only the damping time (its BGP session stable), every other path the hold-down.
 */
export function settleTimes(
  site: SiteConfig,
  paths: readonly PathAssessment[],
  snapshot: Snapshot,
  policy: SitePolicy,
): number[] {
  const { failback } = policy;
  return site.paths.map((path, i) =>
    failback?.policy === 'follow-return-path' && returnsOver(path, paths[i], snapshot)
      ? Math.min(failback.dampingMs, policy.holdDownMs)
      : policy.holdDownMs,
  );
}

/**
 * The best path on-prem returns over (the customer router prefers the configured order: AWS sees
 * neither its local-pref nor its static routes, so the config's order is the assumption), when it is
 * better than where AWS sends traffic: the two directions differ, since when (a lower bound).
 */
export function asymmetry(
  site: SiteConfig,
  paths: readonly PathAssessment[],
  snapshot: Snapshot,
  activePath: string | undefined,
):
  | { readonly returnPath: string; readonly sendPath: string; readonly since: string | undefined }
  | undefined {
  const active = site.paths.findIndex((p) => p.name === activePath);
  // Only a path before the active one: none when the active path is the first, or none of the site's.
  const back = site.paths.findIndex((p, i) => i < active && returnsOver(p, paths[i], snapshot));
  const sending = site.paths[active];
  const returning = site.paths[back];
  if (sending === undefined || returning === undefined) return undefined;
  return { returnPath: returning.name, sendPath: sending.name, since: paths[back]?.healthySince };
}

/**
 * An `asymmetric-routing` finding once the window passes the site's bound (`maxAsymmetry`): on-prem
 * returns over a BGP path while AWS still sends over another one. Major: stateful firewalls on either
 * side drop such flows. Inside the bound, nothing is reported (a failback under way).
 */
export function asymmetryFindings(
  site: SiteConfig,
  paths: readonly PathAssessment[],
  snapshot: Snapshot,
  activePath: string | undefined,
  policy: SitePolicy,
  now: number,
): Finding[] {
  const bound = (policy.failback ?? FAILBACK_DEFAULTS).maxAsymmetryMs;
  const found = asymmetry(site, paths, snapshot, activePath);
  if (found === undefined || found.since === undefined) return [];
  const window = now - Date.parse(found.since);
  if (window <= bound) return [];
  return [
    {
      code: 'asymmetric-routing',
      severity: 'major',
      path: found.returnPath,
      message: `on-prem returns over ${found.returnPath} (BGP established) while AWS sends over ${found.sendPath}: asymmetric for ${Math.ceil(window / 1000)} s, over the ${Math.ceil(bound / 1000)} s bound (failback policy ${policy.failback?.policy ?? 'hold-down'})`,
    },
  ];
}
