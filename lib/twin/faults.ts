/**
 * Fault injection for the twin's EC2 endpoint: throttling, internal errors and latency, per action or for
 * all, by rate and/or count. Deterministic: the same seed and the same calls give the same faults.
 */
import { Ec2ApiError } from './errors.js';

export type FaultKind = 'throttle' | 'server-error' | 'latency';

export interface FaultRule {
  readonly kind: FaultKind;
  /** An EC2 action name; absent or `*` for every action. */
  readonly action?: string;
  /** The chance that a matching call is hit, 0..1. Default 1. */
  readonly rate?: number;
  /** Hit at most this many calls, then the rule is spent ("the next N calls" with rate 1). Default: no limit. */
  readonly count?: number;
  /** For `latency`: how long the reply is held, in real milliseconds (the twin clock does not move). */
  readonly latencyMs?: number;
}

export interface FaultDecision {
  readonly latencyMs: number;
  /** The error to answer with instead of running the action. */
  readonly error?: Ec2ApiError;
}

type Options = Omit<FaultRule, 'kind' | 'latencyMs'>;

/**
 * EC2 throttling: code RequestLimitExceeded with HTTP 503, as EC2 answers it on the wire. The SDK retries
 * it either way: the code is in its throttling list and 503 is a transient status.
 */
export function throttlingError(): Ec2ApiError {
  return new Ec2ApiError('RequestLimitExceeded', 'Request limit exceeded.', 503);
}

export function internalError(): Ec2ApiError {
  return new Ec2ApiError('InternalError', 'An internal error has occurred.', 500);
}

export class Faults {
  readonly #rules: { rule: FaultRule; remaining: number }[] = [];
  #state: number;

  public constructor(seed = 1) {
    this.#state = seed >>> 0;
  }

  public add(rule: FaultRule): this {
    const rate = rule.rate ?? 1;
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate ${rate} is not within 0..1`);
    if (rule.kind === 'latency' && !((rule.latencyMs ?? -1) >= 0))
      throw new RangeError('latency fault needs latencyMs');
    this.#rules.push({ rule, remaining: rule.count ?? Number.POSITIVE_INFINITY });
    return this;
  }

  public throttle(options: Options = {}): this {
    return this.add({ kind: 'throttle', ...options });
  }

  public serverError(options: Options = {}): this {
    return this.add({ kind: 'server-error', ...options });
  }

  public latency(latencyMs: number, options: Options = {}): this {
    return this.add({ kind: 'latency', latencyMs, ...options });
  }

  public clear(): void {
    this.#rules.length = 0;
  }

  /** The rules still in force, with how many hits each has left. */
  public get rules(): readonly { readonly rule: FaultRule; readonly remaining: number }[] {
    return this.#rules.filter((r) => r.remaining > 0).map((r) => ({ ...r }));
  }

  /** What happens to one call of `action`: rules apply in order, latencies add up, the first error wins. */
  public decide(action: string): FaultDecision {
    let latencyMs = 0;
    let error: Ec2ApiError | undefined;
    for (const entry of this.#rules) {
      const { rule } = entry;
      if (
        entry.remaining <= 0 ||
        (rule.action !== undefined && rule.action !== '*' && rule.action !== action)
      )
        continue;
      if (rule.kind !== 'latency' && error !== undefined) continue;
      if (this.#random() >= (rule.rate ?? 1)) continue;
      entry.remaining -= 1;
      if (rule.kind === 'latency') latencyMs += rule.latencyMs ?? 0;
      else error = rule.kind === 'throttle' ? throttlingError() : internalError();
    }
    return error === undefined ? { latencyMs } : { latencyMs, error };
  }

  /** mulberry32: small, seedable, good enough to spread faults. */
  #random(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
