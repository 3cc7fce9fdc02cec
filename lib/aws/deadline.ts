/**
 * A run's deadline: the moment after which it may not write anything. Lambda ends an invocation at
 * its timeout, but the promise the handler was awaiting keeps running when the environment is reused
 * (middy returns a TimeoutError; nothing cancels the work), and its SDK retries would then land on a
 * world that has moved on. So every AWS call made inside a run sees the run's deadline (through
 * AsyncLocalStorage, so no adapter has to thread it) and the transport refuses to start an attempt
 * after it, aborts one in flight at it, and never sleeps into it between retries.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { TunnelWardenError } from '../errors.js';

/** The run's time is up: nothing more may be written. Never retried by the SDK. */
export class DeadlineExceededError extends TunnelWardenError {
  public constructor(
    public readonly what: string,
    public readonly deadlineAt: number,
    options?: ErrorOptions,
  ) {
    super(`${what}: the run's deadline (${new Date(deadlineAt).toISOString()}) has passed`, options);
  }
}

export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  /**
   * @param at epoch milliseconds (wall clock, as Lambda counts): nothing is written after it.
   * @param wallClock the wall clock; only tests pass another one.
   */
  public constructor(
    public readonly at: number,
    private readonly wallClock: () => number = Date.now,
  ) {
    const delay = Math.max(0, at - wallClock());
    this.timer = setTimeout(() => this.abort(), delay);
    // The deadline must never keep a process (the CLI, a test worker) alive on its own.
    this.timer.unref();
  }

  /** A deadline `remainingMs` from now, less `marginMs` kept back for the runtime to fail the invocation. */
  public static fromRemaining(remainingMs: number, marginMs: number, wallClock: () => number = Date.now) {
    return new Deadline(wallClock() + Math.max(0, remainingMs - marginMs), wallClock);
  }

  /** Aborted at the deadline, or earlier when a linked signal (middy's timeout) aborts. */
  public get signal(): AbortSignal {
    return this.controller.signal;
  }

  public remainingMs(): number {
    return this.signal.aborted ? 0 : Math.max(0, this.at - this.wallClock());
  }

  public expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** Throws DeadlineExceededError when fewer than `needMs` remain before the deadline. */
  public check(what: string, needMs = 0): void {
    if (this.remainingMs() <= needMs) throw new DeadlineExceededError(what, this.at);
  }

  /** Ends the run early when `signal` aborts (middy aborts its signal at the function's timeout). */
  public link(signal: AbortSignal | undefined): void {
    if (signal === undefined) return;
    if (signal.aborted) this.abort();
    else signal.addEventListener('abort', () => this.abort(), { once: true });
  }

  public dispose(): void {
    clearTimeout(this.timer);
  }

  private abort(): void {
    if (!this.controller.signal.aborted)
      this.controller.abort(new DeadlineExceededError('run aborted', this.at));
  }
}

const scope = new AsyncLocalStorage<Deadline>();

/** Runs `work` with `deadline` as the deadline of every AWS call it makes, however deeply nested. */
export function withinDeadline<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
  return scope.run(deadline, work);
}

/** The deadline of the run this code is part of; undefined outside a run (the CLI's reads, tests). */
export function currentDeadline(): Deadline | undefined {
  return scope.getStore();
}
