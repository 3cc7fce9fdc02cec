import { TunnelWardenError } from '../errors.js';

/**
 * Raised when an event pattern is structurally invalid. `path` locates the offending part of the
 * pattern (e.g. `detail.state.value[0]`, empty for the root) so callers can point users at it.
 */
export class InvalidEventPatternError extends TunnelWardenError {
  readonly path: string;

  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`Invalid event pattern at ${path === '' ? '<root>' : path}: ${reason}`, options);
    this.path = path;
  }
}
