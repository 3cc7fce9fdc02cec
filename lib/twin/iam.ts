/**
 * The twin's IAM, by action: while the twin runs a function, each AWS call it makes is checked against
 * the actions its packaged role grants, and refused as AWS refuses it when not granted. Resources and
 * conditions are not evaluated here (the EC2 twin enforces the managed tag itself); the point is that a
 * code path needing an action its role lacks fails on the twin, in every test and drill, before AWS.
 */
import type { FaultService } from './faults.js';

export interface Caller {
  /** The serverless.yml key of the running function. */
  readonly function: string;
  /** `ec2:ReplaceRoute`, … as its role grants them; undefined when the role is not in the template. */
  readonly actions?: ReadonlySet<string>;
}

export interface Authorization {
  /** The function that made the call, when the twin was running one. */
  readonly caller?: string;
  readonly denied: boolean;
}

/** Who is calling now. The twin runs one invocation at a time, so "now" is enough to attribute a call. */
export class CallerScope {
  #current: Caller | undefined;

  public async run<T>(caller: Caller, invocation: () => Promise<T>): Promise<T> {
    const previous = this.#current;
    this.#current = caller;
    try {
      return await invocation();
    } finally {
      this.#current = previous;
    }
  }

  /** A call outside any invocation (the twin's own checks, a test's client) is not the functions' and is allowed. */
  public authorize(service: FaultService, action: string): Authorization {
    const caller = this.#current;
    if (caller === undefined) return { denied: false };
    const denied = caller.actions !== undefined && !caller.actions.has(`${service}:${action}`);
    return { caller: caller.function, denied };
  }
}

/** The message AWS gives, naming the action (the principal is the function's role). */
export function deniedMessage(service: FaultService, action: string, caller: string): string {
  return `User: arn:aws:sts::111122223333:assumed-role/${caller}-role/${caller} is not authorized to perform: ${service}:${action} because no identity-based policy allows the ${service}:${action} action`;
}
