/**
 * Fault injection for the twin's AWS endpoints — EC2, DynamoDB, SSM, EventBridge and SNS: throttling,
 * internal errors and latency, per service and action or for all, by rate and/or count. Deterministic:
 * the same seed and the same calls give the same faults. Each endpoint answers a fault in its own wire
 * protocol (fault-replies.ts), so the SDK sees the errors AWS would send.
 */
import { Ec2ApiError, TwinError } from './errors.js';
import { MAX_LATENCY_MS } from './limits.js';

export const FAULT_KINDS = ['throttle', 'server-error', 'latency'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The services a fault can target; `events` is EventBridge. */
export const FAULT_SERVICES = ['ec2', 'dynamodb', 'ssm', 'events', 'sns'] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

export interface FaultRule {
  readonly kind: FaultKind;
  /** Default `ec2`. */
  readonly service?: FaultService;
  /** An action of the service (`ReplaceRoute`, `PutItem`, `GetParameter`, `PutEvents`, `Publish`); absent or `*` for every action. */
  readonly action?: string;
  /** The chance that a matching call is hit, 0..1. Default 1. */
  readonly rate?: number;
  /** Hit at most this many calls, then the rule is spent ("the next N calls" with rate 1). Default: no limit. */
  readonly count?: number;
  /** For `latency`: how long the reply is held, in real milliseconds (the twin clock does not move). */
  readonly latencyMs?: number;
}

/** What happens to one call: held for `latencyMs`, then answered with the `error` kind, if any. */
export interface ServiceFaultDecision {
  readonly latencyMs: number;
  readonly error?: Exclude<FaultKind, 'latency'>;
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

/** A rule that has hits left and names this service (EC2 by default) and this action (or every action). */
function appliesTo(
  entry: { readonly rule: FaultRule; readonly remaining: number },
  service: FaultService,
  action: string,
): boolean {
  const { rule } = entry;
  return (
    entry.remaining > 0 &&
    (rule.service ?? 'ec2') === service &&
    (rule.action === undefined || rule.action === '*' || rule.action === action)
  );
}

export class Faults {
  readonly #rules: { rule: FaultRule; remaining: number }[] = [];
  #state: number;

  public constructor(seed = 1) {
    this.#state = seed >>> 0;
  }

  public add(rule: FaultRule): this {
    const rate = rule.rate ?? 1;
    if (!(rate >= 0 && rate <= 1)) throw new TwinError(`fault rate ${rate} is not within 0..1`);
    if (rule.service !== undefined && !FAULT_SERVICES.includes(rule.service))
      throw new TwinError(`fault service ${String(rule.service)} is not one of ${FAULT_SERVICES.join(', ')}`);
    if (rule.kind === 'latency') {
      const latency = rule.latencyMs ?? -1;
      if (!(latency >= 0 && latency <= MAX_LATENCY_MS))
        throw new TwinError(
          `a latency fault needs latencyMs between 0 and ${MAX_LATENCY_MS} (got ${rule.latencyMs})`,
        );
    }
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

  /** What happens to one EC2 call of `action`, as the EC2 endpoint answers it. */
  public decide(action: string): FaultDecision {
    const { latencyMs, error } = this.decideFor('ec2', action);
    if (error === undefined) return { latencyMs };
    return { latencyMs, error: error === 'throttle' ? throttlingError() : internalError() };
  }

  /** What happens to one call of `service`'s `action`: rules apply in order, latencies add up, the first error wins. */
  public decideFor(service: FaultService, action: string): ServiceFaultDecision {
    let latencyMs = 0;
    let error: ServiceFaultDecision['error'];
    for (const entry of this.#rules) {
      const { rule } = entry;
      if (!appliesTo(entry, service, action)) continue;
      if (rule.kind !== 'latency' && error !== undefined) continue;
      if (this.#random() >= (rule.rate ?? 1)) continue;
      entry.remaining -= 1;
      if (rule.kind === 'latency') latencyMs += rule.latencyMs ?? 0;
      else error = rule.kind;
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
