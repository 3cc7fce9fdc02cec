/** Errors of the twin: misuse of the world model by a scenario, and EC2 API errors it answers with. */
import { TunnelWardenError } from '../errors.js';

/** A scenario or test used the world model wrongly (an unknown tunnel, a malformed topology). */
export class TwinError extends TunnelWardenError {}

/**
 * A topology file that cannot be built: the file, the field (`vpcs[0].cidr`; empty for the whole file)
 * and what is wrong with it. Drills wrap it in their ScenarioError; the twin knows nothing of drills.
 */
export class TopologyError extends TwinError {
  public constructor(
    public readonly file: string,
    public readonly fieldPath: string,
    public readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${fieldPath === '' ? '' : `${fieldPath}: `}${problem}`, options);
  }
}

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
