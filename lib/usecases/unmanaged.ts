import type { Signal, VpnTarget } from '../domain/signal.js';
import type { IncidentEvent } from '../incidents/ports.js';
import type { RemediationDeps } from './ports.js';
import { unmanagedObservation } from './record.js';
import { recordUnderSubjectLease } from './subject-lease.js';

/**
 * The targets to record for connections of no configured site. A Health event is one record, under
 * its event code, however many connections it names: AWS sends one event for a Region-wide notice,
 * and one record (one page) per VPN would page people a hundred times for it.
 */
function targetsToRecord(signal: Signal, unmanaged: readonly VpnTarget[]) {
  if (!('health' in signal)) return unmanaged;
  const named = signal.targets.length > 0;
  // The pages of one event are one record: under its code, whichever connections each page names.
  if ((signal.health.totalPages ?? 1) > 1 && unmanaged.length > 0) {
    const account = unmanaged.find((t) => t.account !== undefined)?.account;
    return [
      { tunnelIps: [], code: signal.health.eventTypeCode, ...(account === undefined ? {} : { account }) },
    ];
  }
  if (named && unmanaged.length === 1) return unmanaged;
  if (named && unmanaged.length === 0) return [];
  return [{ tunnelIps: [], code: signal.health.eventTypeCode }];
}

/**
 * Records signals about connections of no configured site. Nothing is acted on; each subject is
 * recorded under a lease of its own, so two signals about one connection at once (a Minimum and a
 * Maximum alarm) are serialised and cannot open two incidents.
 */
export async function recordUnmanaged(
  signal: Signal,
  unmanaged: readonly VpnTarget[],
  deps: RemediationDeps,
): Promise<{ incidents: IncidentEvent[]; errors: string[] }> {
  const incidents: IncidentEvent[] = [];
  const errors: string[] = [];
  const record = deps.incidents;
  for (const target of targetsToRecord(signal, unmanaged)) {
    const observation = unmanagedObservation(signal, target);
    try {
      const recorded = await recordUnderSubjectLease(observation, record, deps);
      if (recorded !== undefined) incidents.push(...recorded);
      else errors.push(`${observation.subject}: held by another run`);
    } catch (error) {
      errors.push(`${observation.subject}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { incidents, errors };
}
