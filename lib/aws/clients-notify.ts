import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AwsClientOptions } from './clients.js';

/** The notification clients take the same options as the EC2 one, minus the test-only retry delay. */
export type NotifyClientOptions = Omit<AwsClientOptions, 'retryDelayMs'>;

/**
 * 8 attempts: an incident event that fails after the SDK's retries fails the invocation, and the
 * trigger's own retry re-publishes it (consumers dedupe on changeId), so there is no need to wait as
 * long as for the EC2 calls that move traffic.
 */
export const NOTIFY_MAX_ATTEMPTS = 8;

export function eventBridgeClient(options: NotifyClientOptions = {}): EventBridgeClient {
  return new EventBridgeClient(config(options, 'AWS_ENDPOINT_URL_EVENTBRIDGE'));
}

export function snsClient(options: NotifyClientOptions = {}): SNSClient {
  return new SNSClient(config(options, 'AWS_ENDPOINT_URL_SNS'));
}

function config(options: NotifyClientOptions, endpointVariable: string) {
  const endpoint = options.endpoint ?? env(endpointVariable) ?? env('AWS_ENDPOINT_URL');
  return {
    region: options.region ?? env('AWS_REGION') ?? 'us-east-1',
    // Adaptive, as for EC2: PutEvents and Publish throttle per account, and a burst of incidents
    // (a region-wide VPN event) should back off together rather than each retry on its own.
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? NOTIFY_MAX_ATTEMPTS,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
  };
}

/** An empty variable (e.g. `AWS_ENDPOINT_URL=` in a .env file) means unset, not "the empty URL". */
function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}
