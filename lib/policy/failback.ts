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
  const follow = policy.failback?.policy === 'follow-return-path';
  return site.paths.map((path, i) =>
    follow && returnsOver(path, paths[i], snapshot)
      ? Math.min(policy.failback?.dampingMs ?? policy.holdDownMs, policy.holdDownMs)
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
): { readonly returnPath: string; readonly since: string | undefined } | undefined {
  const active = site.paths.findIndex((p) => p.name === activePath);
  if (active <= 0) return undefined;
  const back = site.paths.findIndex((p, i) => i < active && returnsOver(p, paths[i], snapshot));
  if (back < 0) return undefined;
  const name = site.paths[back]?.name ?? '';
  return { returnPath: name, since: paths[back]?.healthySince };
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
      message: `on-prem returns over ${found.returnPath} (BGP established) while AWS sends over ${activePath ?? 'none'}: asymmetric for ${Math.ceil(window / 1000)} s, over the ${Math.ceil(bound / 1000)} s bound (failback policy ${policy.failback?.policy ?? 'hold-down'})`,
    },
  ];
}
