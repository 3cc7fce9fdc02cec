import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/core/retry';

/** Static keys, for local emulators and tests; production uses the SDK's default provider chain. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsClientOptions {
  readonly region?: string;
  readonly endpoint?: string;
  /** Attempts per call, first one included. Default 10: EC2 throttles per account and action. */
  readonly maxAttempts?: number;
  readonly credentials?: StaticCredentials;
  /**
   * A fixed delay between attempts instead of the SDK's backoff (1 s base for throttling) — only so
   * tests against a local server stay fast. The adaptive rate limiter stays on, with a high floor.
   */
  readonly retryDelayMs?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 10;

export function ec2Client(options: AwsClientOptions = {}): EC2Client {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const endpoint = options.endpoint ?? env('AWS_ENDPOINT_URL_EC2') ?? env('AWS_ENDPOINT_URL');
  const config: EC2ClientConfig = {
    region: options.region ?? env('AWS_REGION') ?? 'us-east-1',
    // Adaptive: RequestLimitExceeded and 5xx retry with jittered backoff, and a client-side token
    // bucket slows every call of this client after throttling, so a burst of actions backs off together.
    retryMode: 'adaptive',
    maxAttempts,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
    ...(options.retryDelayMs === undefined
      ? {}
      : { retryStrategy: fixedDelayStrategy(maxAttempts, options.retryDelayMs) }),
  };
  return new EC2Client(config);
}

/** An empty variable (e.g. `AWS_ENDPOINT_URL=` in a .env file) means unset, not "the empty URL". */
function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
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
