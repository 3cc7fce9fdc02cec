import { TunnelWardenError } from '../errors.js';

/** Another writer moved the incident first: re-read and re-apply. */
export class IncidentConflictError extends TunnelWardenError {}

/** The store could not be read or written; the cause is the SDK error. */
export class IncidentStoreError extends TunnelWardenError {}

/**
 * An incident change could not be published: EventBridge rejected the entry (`codes` holds its
 * ErrorCode), SNS failed, or the detail broke the published schema. The cause is the SDK or zod error.
 */
export class PublishError extends TunnelWardenError {
  public readonly codes: readonly string[];

  public constructor(message: string, options: ErrorOptions & { codes?: readonly string[] } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.codes = options.codes ?? [];
  }
}
