/** Errors of the twin: misuse of the world model by a scenario, and EC2 API errors it answers with. */
import { TunnelWardenError } from '../errors.js';

/** A scenario or test used the world model wrongly (an unknown tunnel, a malformed topology). */
export class TwinError extends TunnelWardenError {}

/**
 * An EC2 API error as AWS returns it: the code and message of `<Errors><Error>`, and the HTTP status.
 * The world's mutators throw it so that the server and in-process callers see the same failures.
 */
export class Ec2ApiError extends TwinError {
  public readonly code: string;
  /** The message without the code, as it goes on the wire. */
  public readonly ec2Message: string;
  public readonly httpStatus: number;

  public constructor(code: string, message: string, httpStatus = 400) {
    super(`${code}: ${message}`);
    this.code = code;
    this.ec2Message = message;
    this.httpStatus = httpStatus;
  }
}
