import { TunnelWardenError } from '../errors.js';

/**
 * A run gave up on a site before a mutating step because it could no longer prove it was allowed to
 * write: its deadline was too close, or its site lease was lost (expired and taken by another run).
 * What it had applied stays recorded; what it had not is left to the run that holds the site now.
 */
export class RunAbandonedError extends TunnelWardenError {
  public constructor(
    public readonly site: string,
    public readonly step: string,
    public readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`abandoned ${site} before ${step}: ${reason}`, options);
  }
}

/** Called before each mutating step: resolves when the run may write, throws RunAbandonedError when not. */
export type StepGuard = (step: string) => Promise<void>;

/** The run's deadline, as the use cases see it (lib/aws/deadline.ts implements it). */
export interface RunDeadline {
  remainingMs(): number;
}
