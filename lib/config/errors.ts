import { TunnelWardenError } from '../errors.js';

/** A configuration file that cannot be used. Raised at packaging time and at cold start; nothing runs on it. */
export class ConfigError extends TunnelWardenError {
  public readonly file: string;
  public readonly fieldPath: string;

  public constructor(args: { file: string; fieldPath: string; problem: string }, options?: ErrorOptions) {
    super(`${args.file}: ${args.fieldPath === '' ? '' : `${args.fieldPath}: `}${args.problem}`, options);
    this.file = args.file;
    this.fieldPath = args.fieldPath;
  }
}
