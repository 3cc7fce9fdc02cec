import type { TwinClock } from './clock.js';
import { type DeadLetter, type Delivery, invokeAttempt, retryDelayMs } from './deliver.js';
import type { CallerScope } from './iam.js';
import type { PackagedFunction } from './packaged-functions.js';

interface PendingRetry {
  readonly due: number;
  readonly fn: PackagedFunction;
  readonly event: Record<string, unknown>;
  readonly attempt: number;
}

/**
 * Lambda's asynchronous invocation on twin time: a failed attempt is retried after Lambda's delays
 * (about 1 then 2 minutes), which pass only when the twin's clock is advanced past them; after the last
 * failed attempt the event goes to the function's on-failure destination (`deadLetters`).
 */
export class AsyncInvoker {
  readonly #pending: PendingRetry[] = [];
  public readonly deadLetters: DeadLetter[] = [];

  public constructor(
    private readonly root: string,
    private readonly clock: TwinClock,
    private readonly record: (delivery: Delivery) => void,
    private readonly callers?: CallerScope,
  ) {}

  /** Retries not yet due, soonest first: what is still "in Lambda's queue". */
  public get pending(): readonly {
    readonly function: string;
    readonly attempt: number;
    readonly at: string;
  }[] {
    return this.#pending.map((p) => ({
      function: p.fn.key,
      attempt: p.attempt,
      at: new Date(p.due).toISOString(),
    }));
  }

  /** The first attempt of an event a rule delivered. */
  public async invoke(fn: PackagedFunction, event: Record<string, unknown>): Promise<Delivery> {
    return this.#attempt(fn, event, 1);
  }

  /** Runs every retry that is due at the twin's now, in the order they fell due. */
  public async runDue(): Promise<Delivery[]> {
    const done: Delivery[] = [];
    for (;;) {
      const now = this.clock.now().getTime();
      const index = this.#pending.findIndex((p) => p.due <= now);
      const next = this.#pending[index];
      if (next === undefined) return done;
      this.#pending.splice(index, 1);
      done.push(await this.#attempt(next.fn, next.event, next.attempt));
    }
  }

  async #attempt(fn: PackagedFunction, event: Record<string, unknown>, attempt: number): Promise<Delivery> {
    const at = this.clock.now();
    const base = {
      at: at.toISOString(),
      function: fn.key,
      eventId: String(event.id ?? ''),
      detailType: String(event['detail-type'] ?? ''),
      attempts: attempt,
    };
    const outcome = await invokeAttempt(this.root, fn, event, this.callers);
    let delivery: Delivery;
    if (outcome.ok) {
      delivery = { ...base, outcome: outcome.ignored ? 'ignored' : 'handled', result: outcome.result };
    } else if (attempt <= fn.retryAttempts) {
      const due = at.getTime() + retryDelayMs(attempt);
      this.#pending.push({ due, fn, event, attempt: attempt + 1 });
      this.#pending.sort((a, b) => a.due - b.due);
      delivery = { ...base, outcome: 'retrying', error: outcome.error, retryAt: new Date(due).toISOString() };
    } else {
      delivery = { ...base, outcome: 'failed', error: outcome.error };
      if (fn.deadLetters) {
        this.deadLetters.push({
          at: base.at,
          function: fn.key,
          eventId: base.eventId,
          condition: 'RetriesExhausted',
          attempts: attempt,
          errorType: outcome.errorType,
          error: outcome.error,
          event: structuredClone(event),
        });
      }
    }
    this.record(delivery);
    return delivery;
  }
}
