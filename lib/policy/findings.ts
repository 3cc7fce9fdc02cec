/**
 * Every finding a plan can carry. The list is the one source: `FindingCode` derives from it, and
 * `FINDING_MEANINGS` must describe each code (the compiler refuses a code without its meaning), so a
 * new finding cannot reach incidents, drills or the README unexplained.
 */
export const FINDING_CODES = [
  'no-healthy-path',
  'failover',
  'failback',
  'failback-pending',
  'failback-blocked',
  'flapping',
  'redundancy-lost',
  'path-down',
  'unknown-active-path',
  'drift',
  'change-cap-reached',
  'missing-resource',
  'unusable-route',
  'telemetry-missing',
  'dynamic-route-kept',
  'operator-hold',
  'manual-override',
  'operator-lever',
  'unverified-path',
  'shadowing-route',
  'effective-route-mismatch',
  'asymmetric-routing',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/** What each finding tells an operator (README § Finding codes lists the same). */
export const FINDING_MEANINGS: Readonly<Record<FindingCode, string>> = {
  'no-healthy-path': 'no configured path is healthy: traffic stays where it is and the site is unreachable',
  failover: 'traffic moves off the active path, which is down, to the best healthy path',
  failback: 'traffic returns to a preferred path that has been healthy for the whole hold-down',
  'failback-pending': 'a preferred path is healthy again; failback waits until its hold-down has elapsed',
  'failback-blocked':
    'failback cannot happen yet: removing the override would leave the prefix without a propagated route',
  flapping: 'a path changed tunnel state more often than the flap threshold allows: it is not trusted',
  'redundancy-lost': 'a path carries on with some of its tunnels down: one more failure would take it down',
  'path-down': 'every tunnel of a path is down',
  'unknown-active-path': 'the managed routes point at different paths, or at none the site knows',
  drift: 'a setting differs from the configuration (VGW propagation, a static VPN route) and is repaired',
  'change-cap-reached': 'more changes than the per-run cap: the rest are deferred and the run is retried',
  'missing-resource': 'a route table or VPN connection named in the configuration was not found',
  'unusable-route': 'a route points at a target that cannot carry traffic from a VPN',
  'telemetry-missing':
    'part of a VPN connection could not be read: its health is unknown, never taken as down',
  'dynamic-route-kept':
    'a propagated (BGP) route to a healthy path was left alone rather than pinned with a static route',
  'operator-hold': 'a site, route table or VPN an operator holds (`hold:` or the `tunnel-warden:hold` tag)',
  'manual-override':
    'a route an operator pointed outside the configuration: reported, not reverted (unless `enforce: true`)',
  'operator-lever': 'VGW propagation an operator disabled while traffic is on a backup: left off',
  'unverified-path':
    'traffic left a dead path for one whose health is unknown (nothing known healthy was left): flagged, site unreachable',
  'shadowing-route':
    'a more-specific route steals part of a site prefix to another target: reported, never changed',
  'effective-route-mismatch':
    "after applying, the site's probe address is routed (longest prefix) elsewhere than the plan meant",
  'asymmetric-routing':
    'on-prem returns over a BGP path while AWS sends over another, for longer than `maxAsymmetry`',
};
