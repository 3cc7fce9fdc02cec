import type { ActionResult } from '../aws/apply-result.js';
import type { Config } from '../config/schema.js';
import type { RouteAction } from '../domain/actions.js';
import type { RunDeadline, StepGuard } from '../domain/run.js';
import type { RouteScope, Snapshot, VpnConnectionState } from '../domain/snapshot.js';
import type { HistoryStore } from '../store/history.js';
import type { ModeReader } from '../store/mode.js';
import type { LockWait, SiteLock } from '../store/site-lock.js';
import type { RecordDeps } from './record.js';

/** The EC2 seam: the real SDK in AWS, the same SDK pointed at the twin locally, doubles in tests. */
export interface Ec2Port {
  vpnConnections(vpnIds: readonly string[]): Promise<Record<string, VpnConnectionState>>;
  routes(scope: RouteScope): Promise<Pick<Snapshot, 'vpcRouteTables' | 'tgwRouteTables'>>;
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
