/**
 * The two SDK seams where a run's deadline is enforced on every AWS call (see deadline.ts):
 * - the HTTP handler, called once per attempt: it refuses an attempt that would start too close to the
 *   deadline, aborts one in flight at the deadline, and gives each attempt its own timeout (a hung
 *   connection is retried, not waited on until the invocation dies);
 * - the retry strategy: it gives up instead of sleeping a backoff that would end past the deadline,
 *   so the caller gets the real AWS error (RequestLimitExceeded, ...) while it can still record it.
 */
import type { HttpHandler } from '@smithy/core/protocols';
import type { HttpRequest, HttpResponse } from '@smithy/core/transport';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  HttpHandlerOptions,
  NodeHttpHandlerOptions,
  RetryErrorInfo,
  RetryStrategyV2,
  RetryToken,
} from '@smithy/types';
import { currentDeadline, DeadlineExceededError } from './deadline.js';

/** No attempt starts with less than this left: it could not finish, and a write half-sent is worst. */
export const MIN_ATTEMPT_MS = 250;

/** An attempt that outlived its own timeout: a transient error (the SDK's name), so it is retried. */
function attemptTimedOut(service: string, timeoutMs: number, cause: unknown): Error {
  const error = new Error(`${service} request attempt timed out after ${timeoutMs} ms`, { cause });
  error.name = 'TimeoutError';
  return error;
}

export class DeadlineBoundHandler implements HttpHandler<NodeHttpHandlerOptions> {
  public readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly inner: NodeHttpHandler;

  public constructor(
    private readonly service: string,
    private readonly attemptTimeoutMs: number,
  ) {
    this.inner = new NodeHttpHandler();
  }

  public async handle(
    request: HttpRequest,
    options: HttpHandlerOptions = {},
  ): Promise<{ response: HttpResponse }> {
    const deadline = currentDeadline();
    const what = `${this.service} ${request.method} ${request.path}`;
    if (deadline !== undefined) deadline.check(what, MIN_ATTEMPT_MS);
    const timeoutMs = Math.min(this.attemptTimeoutMs, deadline?.remainingMs() ?? this.attemptTimeoutMs);
    const attempt = AbortSignal.timeout(timeoutMs);
    const signals = [attempt, deadline?.signal, options.abortSignal as AbortSignal | undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    try {
      return await this.inner.handle(request, { ...options, abortSignal: AbortSignal.any(signals) });
    } catch (error) {
      if (deadline?.signal.aborted === true)
        throw new DeadlineExceededError(what, deadline.at, { cause: error });
      if (attempt.aborted) throw attemptTimedOut(this.service, timeoutMs, error);
      throw error;
    }
  }

  public updateHttpClientConfig(
    key: keyof NodeHttpHandlerOptions,
    value: NodeHttpHandlerOptions[typeof key],
  ): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  public httpHandlerConfigs(): NodeHttpHandlerOptions {
    return this.inner.httpHandlerConfigs();
  }

  public destroy(): void {
    this.inner.destroy();
  }
}

/** Wraps a retry strategy so that no retry is scheduled to start after the run's deadline. */
export class DeadlineBoundRetryStrategy implements RetryStrategyV2 {
  /** The wrapped strategy's mode ('adaptive'), which the SDK reports in its user agent. */
  public readonly mode: string | undefined;

  public constructor(private readonly inner: RetryStrategyV2 & { readonly mode?: string }) {
    this.mode = inner.mode;
  }

  /** The adaptive strategy may sleep here (its client-side rate limiter): never past the deadline. */
  public acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return withinBudget(this.inner.acquireInitialRetryToken(scope), 'waiting for a send token');
  }

  public async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const next = await withinBudget(this.inner.refreshRetryTokenForRetry(token, errorInfo), 'retry');
    const deadline = currentDeadline();
    // Throwing here makes the SDK give up and surface the last AWS error instead of sleeping past the end.
    if (deadline !== undefined && next.getRetryDelay() + MIN_ATTEMPT_MS >= deadline.remainingMs())
      throw new DeadlineExceededError('retry', deadline.at);
    return next;
  }

  public recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token);
  }
}

/**
 * Resolves as `step` does, or rejects once only MIN_ATTEMPT_MS is left before the run's deadline
 * (the step, e.g. the rate limiter's sleep, then finishes unobserved and does nothing).
 */
function withinBudget<T>(step: Promise<T>, what: string): Promise<T> {
  const deadline = currentDeadline();
  if (deadline === undefined) return step;
  // The step may still fail after we stopped waiting for it: that is expected, not unhandled.
  step.catch(() => undefined);
  const budget = deadline.remainingMs() - MIN_ATTEMPT_MS;
  if (budget <= 0) return Promise.reject(new DeadlineExceededError(what, deadline.at));
  let timer: NodeJS.Timeout | undefined;
  const out = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(what, deadline.at)), budget);
  });
  return Promise.race([step, out]).finally(() => clearTimeout(timer));
}
