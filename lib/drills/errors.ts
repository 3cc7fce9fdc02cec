import { TunnelWardenError } from '../errors.js';

/** A scenario file that cannot run: exit code 2, with the file and the field. */
export class ScenarioError extends TunnelWardenError {
  public constructor(
    public readonly file: string,
    public readonly fieldPath: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${fieldPath === '' ? '' : `${fieldPath}: `}${problem}`, options);
  }
}
