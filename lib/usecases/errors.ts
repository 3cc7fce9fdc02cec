import { TunnelWardenError } from '../errors.js';
import { modeFallbackReason } from './mode-note.js';
import type { DeliveryFailure, ModeReading } from './ports.js';

/** A request that names something the configuration does not have, e.g. a drill for an unknown site. */
export class UnknownSiteError extends TunnelWardenError {}

/**
 * A run that did not finish its work: a site was held past the wait, failed, or an action did not
 * land. Thrown after everything was recorded, so Lambda retries the event (and, after its retries,
 * puts it in the dead-letter queue, whose alarm pages).
 */
export class RemediationIncompleteError extends TunnelWardenError {
  public constructor(public readonly sites: readonly string[]) {
    super(`remediation incomplete for ${sites.join(', ')}`);
  }
}

/**
 * The kill switch could not be read, or held a value that is not a mode, so the run fell back to
 * dry-run (or disabled) and changed no route. Thrown after recording, for alarm and Health runs only,
 * so Lambda retries them (about 1 and 2 minutes later) and then dead-letters the event: a switch
 * that stays broken is a failed invocation and a DLQ entry, never a quiet dry-run.
 */
export class ModeUnreadableError extends TunnelWardenError {
  public constructor(public readonly reading: ModeReading) {
    super(modeFallbackReason(reading) ?? `no route changed: running ${reading.mode}`);
  }
}

/**
 * An incident change was saved but not delivered on every channel (EventBridge, SNS). The outbox
 * keeps what is owed, per channel, so the retry (or the next run for the subject) delivers only that.
 */
export class DeliveryIncompleteError extends TunnelWardenError {
  public constructor(public readonly failures: readonly DeliveryFailure[]) {
    const what = failures.map(
      (f) => `${f.channel} ${f.changeId}: ${f.error instanceof Error ? f.error.message : String(f.error)}`,
    );
    super(`incident changes saved but not delivered (kept for the next run): ${what.join('; ')}`, {
      cause: failures[0]?.error,
    });
  }
}
