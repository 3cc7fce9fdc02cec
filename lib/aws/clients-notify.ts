import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  boundedTransport,
  RETRY_SETTINGS,
  type RetrySettings,
  resolveEndpoint,
  resolveRegion,
} from './client-config.js';
import type { AwsClientOptions } from './clients.js';

/** The notification clients take the same options as the EC2 one. */
export type NotifyClientOptions = AwsClientOptions;

/**
 * 8 attempts: an incident event that fails after the SDK's retries stays in the incident's outbox and
 * the next run re-publishes it (consumers dedupe on changeId), so there is no need to wait as long as
 * for the EC2 calls that move traffic.
 */
export const NOTIFY_MAX_ATTEMPTS = RETRY_SETTINGS.eventbridge.maxAttempts;

export function eventBridgeClient(options: NotifyClientOptions = {}): EventBridgeClient {
  return new EventBridgeClient(
    config(options, 'EventBridge', RETRY_SETTINGS.eventbridge, 'AWS_ENDPOINT_URL_EVENTBRIDGE'),
  );
}

export function snsClient(options: NotifyClientOptions = {}): SNSClient {
  return new SNSClient(config(options, 'SNS', RETRY_SETTINGS.sns, 'AWS_ENDPOINT_URL_SNS'));
}

function config(
  options: NotifyClientOptions,
  service: string,
  settings: RetrySettings,
  endpointVariable: string,
) {
  const endpoint = resolveEndpoint(options.endpoint, endpointVariable);
  return {
    region: resolveRegion(options.region),
    // Adaptive, as for EC2: PutEvents and Publish throttle per account, and a burst of incidents
    // (a region-wide VPN event) should back off together rather than each retry on its own.
    ...boundedTransport(service, {
      ...settings,
      maxAttempts: options.maxAttempts ?? settings.maxAttempts,
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
  };
}
