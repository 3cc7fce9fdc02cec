import type { PendingEntry } from '../incidents/lifecycle.js';
import type { Plan } from '../policy/plan.js';
import type { ModeReading } from './ports.js';

/**
 * Why a run changed no route although it may have had to: the kill switch could not be read (or held
 * no mode), so the run fell back to dry-run. Undefined when the switch was read: a dry-run the
 * operator chose is already in the plan's line ("… planned (dry-run)") and is no surprise.
 */
export function modeFallbackReason(reading: ModeReading | undefined): string | undefined {
  if (reading?.source !== 'fallback') return undefined;
  return `no route changed: ${reading.detail ?? `kill switch unreadable; running ${reading.mode}`}`;
}

/** A timeline note for the reason, once per event and site (a retried event writes it once). */
export function modeNote(eventId: string, at: string, plan: Plan, reason: string): PendingEntry {
  return {
    at,
    type: 'note',
    entryId: `${eventId}#mode#${plan.site}`,
    summary: reason,
    detail: { mode: plan.mode, reason },
  };
}
