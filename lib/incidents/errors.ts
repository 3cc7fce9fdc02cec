import { TunnelWardenError } from '../errors.js';

/** Another writer moved the incident first: re-read and re-apply. */
export class IncidentConflictError extends TunnelWardenError {}

/** The store could not be read or written; the cause is the SDK error. */
export class IncidentStoreError extends TunnelWardenError {}
