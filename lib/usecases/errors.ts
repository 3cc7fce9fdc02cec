import { TunnelWardenError } from '../errors.js';

/** A request that names something the configuration does not have, e.g. a drill for an unknown site. */
export class UnknownSiteError extends TunnelWardenError {}
