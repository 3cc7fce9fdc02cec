import type { Context } from 'aws-lambda';
import type { RunDeadline } from '../domain/run.js';
import type { Signal } from '../domain/signal.js';
import type { InvocationContext } from '../events/parse.js';
import { checkMaintenance, maintenanceTargets } from '../usecases/maintenance.js';
import type { CompactReport } from './compact-report.js';
import { type MaintenanceSummary, maintenanceDeps, summarise, triggerOf } from './maintenance.js';
import { remediateSignal } from './remediation.js';

/**
 * onHealthEvent: the usual remediation run, then, for a VPN event of category `scheduledChange`, the
 * pending maintenance of the VPNs it names. A check that could not finish fails the invocation after
 * everything else was recorded, so Lambda retries it: the remediation answers from its idempotency
 * record, and maintenance records are keyed by what is pending, so nothing is written twice.
 */
export async function remediateThenCheckMaintenance(
  signal: Signal,
  invocation: InvocationContext,
  context: Context,
  deadline: RunDeadline,
): Promise<CompactReport & { readonly maintenance?: MaintenanceSummary }> {
  const report = await remediateSignal(signal, invocation, context, deadline);
  const vpnIds = maintenanceTargets(signal);
  if (vpnIds.length === 0) return report;
  const checked = await checkMaintenance(vpnIds, triggerOf(signal), maintenanceDeps(invocation));
  return { ...report, maintenance: summarise(checked) };
}
