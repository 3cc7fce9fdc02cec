import type { SitePolicy } from '../config/load.js';
import type { PathConfig } from '../config/schema.js';
import type { Snapshot } from '../domain/snapshot.js';
import { assessBehind, type BehindScope } from './path-behind.js';
import type { PathAssessment, SiteHistory } from './plan.js';
import { assessVpn } from './vpn-health.js';

export { describeUnreadable } from './vpn-health.js';

/**
 * A path's health is known, never assumed. A path with a VPN is judged by that VPN's tunnels (see
 * assessVpn); a path without one — a transit gateway, a TGW attachment, an appliance ENI — by what
 * lies behind it, followed through the transit gateway to the VPN that carries the site's prefixes
 * (see assessBehind), and *unknown* when that cannot be followed. A path nobody can see into is never
 * healthy: tunnel-warden may leave a dead path for it, flagged, but never fails back to it or calls the
 * site reachable through it.
 */
export function assessPath(
  path: PathConfig,
  snapshot: Snapshot,
  history: SiteHistory,
  policy: SitePolicy,
  now: number,
  scope: BehindScope,
): PathAssessment {
  const vpnId = path.vpn;
  if (vpnId === undefined) {
    // The VPN behind a transit gateway belongs to no configured path: its transitions are not in the
    // site's history, so it is not judged for flapping.
    return { name: path.name, ...assessBehind(path, scope, snapshot), recentTransitions: 0, flapping: false };
  }
  const since = now - policy.flapping.windowMs;
  const recentTransitions = history.transitions.filter(
    (t) => t.vpnId === vpnId && Date.parse(t.at) >= since,
  ).length;
  const flapping = recentTransitions > policy.flapping.maxTransitions;
  return { name: path.name, ...assessVpn(vpnId, snapshot), recentTransitions, flapping };
}

/** When a path became continuously healthy, epoch ms; 0 (long ago) when no time is known. */
export function healthySinceMs(path: PathAssessment): number {
  return path.healthySince === undefined ? 0 : Date.parse(path.healthySince);
}

/** How long a healthy path still has to wait before it may take traffic back (≤ 0: not at all). */
export function holdDownRemaining(path: PathAssessment, holdDownMs: number, now: number): number {
  return holdDownMs - (now - healthySinceMs(path));
}

/** Whether a healthy path has been healthy long enough to take traffic back. */
export function holdDownElapsed(path: PathAssessment, holdDownMs: number, now: number): boolean {
  return path.health === 'healthy' && holdDownRemaining(path, holdDownMs, now) <= 0;
}
