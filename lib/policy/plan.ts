import type { Mode } from '../config/schema.js';
import type { RouteAction } from '../domain/actions.js';

export type Severity = 'critical' | 'major' | 'minor' | 'info';

export type FindingCode =
  | 'no-healthy-path'
  | 'failover'
  | 'failback'
  | 'failback-pending'
  | 'failback-blocked'
  | 'flapping'
  | 'redundancy-lost'
  | 'path-down'
  | 'unknown-active-path'
  | 'drift'
  | 'change-cap-reached'
  | 'missing-resource'
  | 'unusable-route'
  | 'telemetry-missing'
  /** A propagated (BGP) route to a healthy path was left alone rather than pinned with a static route. */
  | 'dynamic-route-kept'
  /** A site, route table or VPN an operator holds (`hold:` or the `tunnel-warden:hold` tag). */
  | 'operator-hold'
  /** A route an operator pointed outside the config: reported, not reverted (unless `enforce: true`). */
  | 'manual-override'
  /** VGW propagation an operator disabled while traffic is on a backup: left off. */
  | 'operator-lever'
  /** Traffic left a dead path for one whose health is unknown (nothing known healthy was left). */
  | 'unverified-path'
  /** On-prem returns over a BGP path while AWS sends over another, for longer than `maxAsymmetry`. */
  | 'asymmetric-routing';

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: string;
  readonly path?: string;
  /** `telemetry-missing`: the VPN whose answer was incomplete. */
  readonly vpnId?: string;
  /** `telemetry-missing`: what could not be read, e.g. `VgwTelemetry (missing)`. */
  readonly fields?: readonly string[];
}

/**
 * `unknown` is neither: what would say whether the path carries traffic could not be read. Traffic
 * never moves off such a path because of it, and never onto it.
 */
export type PathHealth = 'healthy' | 'down' | 'unknown';

export interface PathAssessment {
  readonly name: string;
  readonly health: PathHealth;
  /** Why, in words an operator reads in the timeline. */
  readonly reason: string;
  /** A lower bound on when the path (or the VPN behind it) became continuously healthy (ISO 8601); only for healthy paths. */
  readonly healthySince?: string;
  readonly tunnelsUp: number;
  readonly tunnelsTotal: number;
  /** Tunnel state changes of the path's VPN inside the flap window. */
  readonly recentTransitions: number;
  readonly flapping: boolean;
}

export type Decision = 'steady' | 'failover' | 'failback' | 'hold' | 'no-healthy-path' | 'repair';

export interface Plan {
  readonly site: string;
  readonly decidedAt: string;
  readonly mode: Mode;
  readonly decision: Decision;
  readonly paths: readonly PathAssessment[];
  /** The path the routes point at now; undefined when they point at none or at several. */
  readonly activePath?: string;
  /** The path the routes should point at; undefined when no path is healthy. */
  readonly desiredPath?: string;
  /** What apply will converge: every failover move, and failback or repair changes up to the cap. */
  readonly actions: readonly RouteAction[];
  /**
   * Failback and repair changes beyond the cap: the run counts as incomplete (retried, or the next
   * sweep re-plans from a fresh snapshot). A failover is never deferred.
   */
  readonly deferred: readonly RouteAction[];
  readonly findings: readonly Finding[];
}

/** What the store remembers between invocations: tunnel state changes seen, for flap damping. */
export interface TunnelTransition {
  readonly vpnId: string;
  readonly tunnelIp: string;
  /** The tunnel's LastStatusChange, ISO 8601. */
  readonly at: string;
}

export interface SiteHistory {
  readonly transitions: readonly TunnelTransition[];
}
