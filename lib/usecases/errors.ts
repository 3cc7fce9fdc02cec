import { TunnelWardenError } from '../errors.js';

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
