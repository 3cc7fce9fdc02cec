/** Errors raised while reading AWS state. Nothing is planned or changed on a failed observation. */
import { TunnelWardenError } from '../errors.js';

/**
 * An observation that could not be made or trusted: an SDK call failed, or AWS answered with a shape the
 * snapshot cannot represent. The message names the API and the resource ids; the SDK error is the `cause`.
 */
export class ObserveError extends TunnelWardenError {}

/** Wraps a failed SDK call so that the message says which API and which resources, and keeps the original. */
export function sdkFailure(api: string, resourceIds: readonly string[], cause: unknown): ObserveError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ObserveError(`${api} ${resourceIds.join(', ')} failed: ${detail}`, { cause });
}

/**
 * Narrows an SDK enum string to the values the snapshot knows. An unknown or missing value raises instead of
 * being guessed: a wrong guess in a snapshot could make the policy move routes, a failed observation cannot.
 */
export function expectOneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  where: string,
): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) {
    throw new ObserveError(
      `${where}: unexpected value ${value === undefined ? '(missing)' : `"${value}"`}, expected ${allowed.join('|')}`,
    );
  }
  return found;
}
