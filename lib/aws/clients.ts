/**
 * Every AWS client tunnel-warden builds, from one options type: the Region, the endpoint (the only
 * thing that differs between AWS and the twin) and the deadline-bound transport with the service's
 * retry settings (client-config.ts). Production passes no options and gets the SDK's credential chain.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
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
  /** Attempts per call, first one included; default per service (RETRY_SETTINGS). */
  readonly maxAttempts?: number;
  readonly credentials?: StaticCredentials;
  /**
   * A fixed delay between attempts instead of the SDK's backoff — only so tests against a local
   * server stay fast. Never set in production code.
   */
  readonly retryDelayMs?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Per service: the name deadline errors use and the endpoint variable the SDK itself documents. */
const SERVICES = {
  ec2: { name: 'EC2', endpointVariable: 'AWS_ENDPOINT_URL_EC2' },
  dynamodb: { name: 'DynamoDB', endpointVariable: 'AWS_ENDPOINT_URL_DYNAMODB' },
  ssm: { name: 'SSM', endpointVariable: 'AWS_ENDPOINT_URL_SSM' },
  eventbridge: { name: 'EventBridge', endpointVariable: 'AWS_ENDPOINT_URL_EVENTBRIDGE' },
  sns: { name: 'SNS', endpointVariable: 'AWS_ENDPOINT_URL_SNS' },
} as const satisfies Record<keyof typeof RETRY_SETTINGS, { name: string; endpointVariable: string }>;

type Service = keyof typeof SERVICES;

export const DEFAULT_MAX_ATTEMPTS = RETRY_SETTINGS.ec2.maxAttempts;

/** The configuration all five clients share; only the service's settings differ. */
function clientConfig(service: Service, options: AwsClientOptions, env: Env) {
  const { name, endpointVariable } = SERVICES[service];
  const settings = RETRY_SETTINGS[service];
  const endpoint = resolveEndpoint(options.endpoint, endpointVariable, env);
  return {
    region: resolveRegion(options.region, env),
    // Adaptive retries back off together on throttling (EC2 per account and action, PutEvents and
    // Publish per account, a hot DynamoDB partition), and never past the run's deadline.
    ...boundedTransport(name, {
      ...settings,
      maxAttempts: options.maxAttempts ?? settings.maxAttempts,
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
  };
}

export const ec2Client = (options: AwsClientOptions = {}, env: Env = process.env): EC2Client =>
  new EC2Client(clientConfig('ec2', options, env));

export const dynamoClient = (options: AwsClientOptions = {}, env: Env = process.env): DynamoDBClient =>
  new DynamoDBClient(clientConfig('dynamodb', options, env));

export const ssmClient = (options: AwsClientOptions = {}, env: Env = process.env): SSMClient =>
  new SSMClient(clientConfig('ssm', options, env));

export const eventBridgeClient = (
  options: AwsClientOptions = {},
  env: Env = process.env,
): EventBridgeClient => new EventBridgeClient(clientConfig('eventbridge', options, env));

export const snsClient = (options: AwsClientOptions = {}, env: Env = process.env): SNSClient =>
  new SNSClient(clientConfig('sns', options, env));
