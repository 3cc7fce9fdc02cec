/**
 * Recording an incident for a subject that is no configured site (an unmanaged VPN, a VPN's pending
 * maintenance) under a lease on that subject, so two runs about it at once (a Min and a Max alarm, a
 * Health event and the daily check) end in one incident, not two.
 */

import { DEFAULT_LOCK_WAIT, type LockWait } from '../domain/lease.js';
import type { Observation } from '../incidents/lifecycle.js';
import type { IncidentEvent } from '../incidents/ports.js';
import type { RecordDeps, SiteLock } from './ports.js';
import { recordObservation } from './record.js';
import { withSiteLock } from './with-lease.js';

/** Recording one subject takes seconds at most; a lease of a minute covers it with room. */
const SUBJECT_LEASE_MS = 60_000;

export interface SubjectLeaseDeps {
  readonly lock: SiteLock;
  readonly owner: string;
  readonly clock: () => Date;
  readonly lockWait?: LockWait;
}

/** The incident changes recorded, or undefined when another run holds the subject (the caller says so). */
export async function recordUnderSubjectLease(
  observation: Observation,
  incidents: RecordDeps,
  deps: SubjectLeaseDeps,
): Promise<IncidentEvent[] | undefined> {
  const held = await withSiteLock(
    deps.lock,
    `subject:${observation.subject}`,
    deps.owner,
    deps.clock(),
    SUBJECT_LEASE_MS,
    async () => ({ value: await recordObservation(observation, incidents), outcomeRecorded: true }),
    deps.lockWait ?? DEFAULT_LOCK_WAIT,
  );
  return held.acquired ? held.value : undefined;
}
