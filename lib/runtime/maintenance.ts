/**
 * The maintenance check's runtime: read-only EC2 (DescribeVpnConnections, GetVpnTunnelReplacementStatus)
 * and the incident record. It imports nothing that can change a route, so the daily maintenanceCheck
 * function's role grants no route write (test/serverless/roles.test.ts derives roles from imports).
 */
import { observeTunnelMaintenance } from '../aws/observe-maintenance.js';
import { observeVpnConnections } from '../aws/observe-vpn.js';
import { managedVpnIds } from '../config/site.js';
import { DEFAULT_LOCK_WAIT } from '../domain/lease.js';
import type { Signal } from '../domain/signal.js';
import type { InvocationContext } from '../events/parse.js';
import { SsmModeReader } from '../store/mode.js';
import { DynamoSiteLock } from '../store/site-lock-dynamo.js';
import { tableName } from '../store/table.js';
import {
  checkMaintenance,
  MaintenanceCheckIncompleteError,
  type MaintenanceDeps,
  type MaintenanceReport,
} from '../usecases/maintenance.js';
import { runtimeClients } from './clients.js';
import { now } from './clock.js';
import { incidentDeps } from './incident-deps.js';
import { logger } from './observability.js';
import { runtimeConfig } from './settings.js';

/** The same table, bus and topic as the remediating functions (runtimeDeps), without the route writers. */
export function maintenanceDeps(invocation: InvocationContext): MaintenanceDeps {
  const config = runtimeConfig();
  const clients = runtimeClients();
  const table = tableName();
  return {
    ec2: { vpnConnections: (vpnIds) => observeVpnConnections(clients.ec2, vpnIds) },
    maintenance: {
      tunnelMaintenance: (vpnId, tunnelIp) => observeTunnelMaintenance(clients.ec2, vpnId, tunnelIp),
    },
    mode: new SsmModeReader(clients.ssm, config.modeParameter, config.mode),
    lock: new DynamoSiteLock(clients.dynamo, table),
    owner: invocation.requestId,
    clock: now,
    lockWait: DEFAULT_LOCK_WAIT,
    incidents: incidentDeps(config, clients, table),
  };
}

/** What a function returns about maintenance: the tunnels with some pending, and what failed. */
export interface MaintenanceSummary {
  readonly checked: number;
  readonly pending: readonly {
    readonly vpnId: string;
    readonly tunnelIp: string;
    readonly autoAppliedAfter?: string;
  }[];
  readonly errors: readonly string[];
  readonly missing?: readonly string[];
  readonly skipped?: string;
}

/** Logs the check; one that could not finish fails the invocation (after recording the rest) so Lambda retries. */
export function summarise(report: MaintenanceReport): MaintenanceSummary {
  const summary: MaintenanceSummary = {
    checked: report.checked.length,
    pending: report.pending.map((t) => ({
      vpnId: t.vpnId,
      tunnelIp: t.tunnelIp,
      ...(t.autoAppliedAfter === undefined ? {} : { autoAppliedAfter: t.autoAppliedAfter }),
    })),
    errors: report.errors,
    ...(report.missing === undefined || report.missing.length === 0 ? {} : { missing: report.missing }),
    ...(report.skipped === undefined ? {} : { skipped: report.skipped }),
  };
  logger.info('maintenance check', { ...summary });
  if (report.errors.length > 0) throw new MaintenanceCheckIncompleteError(report.errors);
  return summary;
}

/** The trigger a check records on each entry: the signal's event and when it happened. */
export const triggerOf = (signal: Signal) => ({
  eventId: signal.origin.eventId,
  at: signal.origin.occurredAt,
});

/** maintenanceCheck: every managed VPN's tunnels, once a day. */
export async function sweepMaintenance(
  signal: Signal,
  invocation: InvocationContext,
): Promise<MaintenanceSummary> {
  const vpnIds = managedVpnIds(runtimeConfig());
  return summarise(await checkMaintenance(vpnIds, triggerOf(signal), maintenanceDeps(invocation)));
}
