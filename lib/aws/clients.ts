import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { boundedTransport, RETRY_SETTINGS, resolveEndpoint, resolveRegion } from './client-config.js';

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
   * A fixed delay between attempts instead of the SDK's backoff — only so tests against a local
   * server stay fast. Never set in production code.
   */
  readonly retryDelayMs?: number;
}

export const DEFAULT_MAX_ATTEMPTS = RETRY_SETTINGS.ec2.maxAttempts;

export function ec2Client(options: AwsClientOptions = {}): EC2Client {
  const endpoint = resolveEndpoint(options.endpoint, 'AWS_ENDPOINT_URL_EC2');
  const config: EC2ClientConfig = {
    region: resolveRegion(options.region),
    ...boundedTransport('EC2', {
      ...RETRY_SETTINGS.ec2,
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
  };
  return new EC2Client(config);
}
