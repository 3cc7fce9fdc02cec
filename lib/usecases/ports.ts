import type { Config, Mode } from '../config/schema.js';
import type { RouteAction } from '../domain/actions.js';
import type { ActionResult } from '../domain/apply-result.js';
import type { ApplyIntent, Lease, LockWait } from '../domain/lease.js';
import type { RunDeadline, StepGuard } from '../domain/run.js';
import type {
  AttachmentQuery,
  RouteScope,
  Snapshot,
  TgwAttachmentState,
  VpnConnectionState,
} from '../domain/snapshot.js';
import type { DeliveryChannel } from '../incidents/model.js';
import type { IncidentEvent, IncidentPublisher, IncidentStore } from '../incidents/ports.js';
import type { SiteHistory, TunnelTransition } from '../policy/plan.js';

/** The EC2 seam: the real SDK in AWS, the same SDK pointed at the twin locally, doubles in tests. */
export interface Ec2Port {
  vpnConnections(vpnIds: readonly string[]): Promise<Record<string, VpnConnectionState>>;
  routes(scope: RouteScope): Promise<Pick<Snapshot, 'vpcRouteTables' | 'tgwRouteTables'>>;
  /** Transit gateway attachments, to follow a path without a VPN to what carries it (observe-site). */
  tgwAttachments(query: AttachmentQuery): Promise<Record<string, TgwAttachmentState>>;
  /** Applies in order, calling `guard` before each action (see applyActions). */
  apply(actions: readonly RouteAction[], guard: StepGuard): Promise<ActionResult[]>;
}

export interface RemediationDeps {
  readonly config: Config;
  readonly ec2: Ec2Port;
  readonly lock: SiteLock;
  readonly history: HistoryStore;
  readonly mode: ModeReader;
  readonly clock: () => Date;
  /** Who holds a site lock: the Lambda request id. */
  readonly owner: string;
  /** How long a site lock lasts if its holder dies: longer than one run, shorter than the next alarm. */
  readonly lockTtlMs?: number;
  /** How long to wait for a site another invocation holds (default: 10 s, polling every 250 ms). */
  readonly lockWait?: LockWait;
  /** The run's deadline: no mutating step starts without enough time left before it. */
  readonly deadline: RunDeadline;
  /** Where incidents are recorded and published: every run records what it saw and did. */
  readonly incidents: RecordDeps;
}

/** The site lease (DynamoDB in AWS, in memory for the CLI and tests); semantics in lib/domain/lease.ts. */
export interface SiteLock {
  /** A lease on `site` until `now + ttlMs`, or undefined when someone else holds a live one. */
  acquire(site: string, owner: string, now: Date, ttlMs: number): Promise<Lease | undefined>;
  /**
   * Proves the lease is still held at `now` (same owner and fence, not expired) and extends it to
   * `now + ttlMs`, storing `intent` with it when given. False when the lease was lost.
   */
  renew(lease: Lease, now: Date, ttlMs: number, intent?: ApplyIntent): Promise<boolean>;
  /**
   * Gives the lease up if it is still ours; a lease someone else took over is left alone. The intent
   * is cleared only when `outcomeRecorded`: otherwise the next holder must learn about it.
   */
  release(lease: Lease, outcomeRecorded: boolean): Promise<void>;
}

export type ModeSource = 'parameter' | 'config' | 'fallback';

export interface ModeReading {
  readonly mode: Mode;
  readonly source: ModeSource;
  /** Why this mode, when it is not simply the parameter's value. */
  readonly detail?: string;
}

export interface ModeReader {
  read(now: Date): Promise<ModeReading>;
}

export interface HistoryStore {
  /** Adds `observed` to the site's history, prunes it to the window and returns it, oldest first. */
  recordAndLoad(
    site: string,
    observed: readonly TunnelTransition[],
    now: Date,
    windowMs: number,
  ): Promise<SiteHistory>;
}

/** Where incidents are recorded and published. */
export interface RecordDeps {
  readonly store: IncidentStore;
  readonly publisher: IncidentPublisher;
  readonly relapseWindowMs: number;
  /** Called once per change delivered to EventBridge (its record), e.g. to emit metrics. */
  readonly onChange?: (event: IncidentEvent) => void;
  /** Called for each delivery that failed (the change stays owed on that channel), e.g. to count it. */
  readonly onDeliveryFailure?: (failure: DeliveryFailure) => void;
  /** The kill switch as this run read it: a site whose run fell back to dry-run says so in its incident. */
  readonly mode?: ModeReading;
}

/** One delivery that failed: the change stays owed on that channel in the incident's outbox. */
export interface DeliveryFailure {
  readonly channel: DeliveryChannel;
  readonly changeId: string;
  readonly error: unknown;
}
