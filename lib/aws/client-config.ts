import { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/core/retry';
import type { RetryStrategyV2 } from '@smithy/types';
import { DeadlineBoundHandler, DeadlineBoundRetryStrategy } from './bounded-transport.js';

export interface RetrySettings {
  /** Attempts per call, the first one included. */
  readonly maxAttempts: number;
  /** How long one attempt may take before it is abandoned and retried. */
  readonly attemptTimeoutMs: number;
  /**
   * A fixed delay between attempts instead of the SDK's backoff (1 s base for throttling) — only so
   * tests against a local server stay fast. The adaptive rate limiter stays on, with a high floor.
   */
  readonly retryDelayMs?: number;
}

/**
 * Per-attempt timeouts by service: EC2 writes can take seconds under load; DynamoDB and SSM answer
 * in milliseconds, so a slow attempt there is a hung connection better retried.
 */
export const RETRY_SETTINGS = {
  ec2: { maxAttempts: 10, attemptTimeoutMs: 10_000 },
  dynamodb: { maxAttempts: 8, attemptTimeoutMs: 3_000 },
  ssm: { maxAttempts: 8, attemptTimeoutMs: 3_000 },
  eventbridge: { maxAttempts: 8, attemptTimeoutMs: 5_000 },
  sns: { maxAttempts: 8, attemptTimeoutMs: 5_000 },
} as const satisfies Record<string, RetrySettings>;

/**
 * The transport every client shares: adaptive retries (throttling and 5xx back off with jitter, and a
 * client-side token bucket slows every call of the client after throttling) bounded by the run's
 * deadline, and a per-attempt timeout. Only the endpoint differs between AWS and the twin.
 */
export function boundedTransport(service: string, settings: RetrySettings) {
  const inner: RetryStrategyV2 =
    settings.retryDelayMs === undefined
      ? new AdaptiveRetryStrategy(settings.maxAttempts)
      : fixedDelayStrategy(settings.maxAttempts, settings.retryDelayMs);
  return {
    maxAttempts: settings.maxAttempts,
    retryStrategy: new DeadlineBoundRetryStrategy(inner),
    requestHandler: new DeadlineBoundHandler(service, settings.attemptTimeoutMs),
  };
}

function fixedDelayStrategy(maxAttempts: number, delayMs: number): AdaptiveRetryStrategy {
  return new AdaptiveRetryStrategy(maxAttempts, {
    maxAttempts,
    // The strategy sets a delay base per error type; ignoring it keeps every wait at delayMs.
    backoff: { computeNextBackoffDelay: () => delayMs, setDelayBase: () => {} },
    // After a throttle the limiter drops to its minimum fill rate (0.5/s by default): raise the floor.
    rateLimiter: new DefaultRateLimiter({ minFillRate: 1000, minCapacity: 10 }),
  });
}

/**
 * Endpoint resolution shared by every AWS client: the explicit option, then the service's variable
 * (`AWS_ENDPOINT_URL_EC2`, …), then `AWS_ENDPOINT_URL` — all that differs between AWS and the twin.
 */
export function resolveEndpoint(
  explicit: string | undefined,
  serviceVar: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  for (const candidate of [explicit, env[serviceVar], env.AWS_ENDPOINT_URL]) {
    // An empty variable is how shells "unset" things in CI; treat it as absent rather than as a URL.
    if (candidate !== undefined && candidate.trim() !== '') return candidate.trim();
  }
  return undefined;
}

/** The Region from the option, else AWS_REGION (empty means unset), else us-east-1. */
export function resolveRegion(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const fromEnv = env.AWS_REGION?.trim();
  return explicit ?? (fromEnv === undefined || fromEnv === '' ? 'us-east-1' : fromEnv);
}
