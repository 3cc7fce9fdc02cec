import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyAction } from '../../lib/aws/apply.js';
import { ec2Client } from '../../lib/aws/clients.js';
import { propagation, vpcRouteAbsent } from './apply-fixtures.js';
import { ec2ErrorReply, ec2OkReply, type FakeEc2, startFakeEc2 } from './ec2-server.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' };
const throttled = ec2ErrorReply('RequestLimitExceeded', 'Request limit exceeded.');

afterEach(() => {
  vi.unstubAllEnvs();
});

async function endpointUrl(client: ReturnType<typeof ec2Client>): Promise<string | undefined> {
  const endpoint = await client.config.endpoint?.();
  return endpoint === undefined
    ? undefined
    : `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port ?? ''}`;
}

describe('ec2Client configuration', () => {
  it('retries adaptively, 10 attempts, in us-east-1 by default', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL_EC2', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL', '');
    const client = ec2Client();
    const strategy = await client.config.retryStrategy();
    expect(strategy).toHaveProperty('mode', 'adaptive');
    expect(await client.config.maxAttempts()).toBe(10);
    expect(await client.config.region()).toBe('us-east-1');
    expect(await endpointUrl(client)).toBeUndefined();
  });

  it('takes region, endpoint and attempts from options first', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_ENDPOINT_URL_EC2', 'http://ec2.env:4566');
    const client = ec2Client({ region: 'ap-northeast-2', endpoint: 'http://option:1234', maxAttempts: 4 });
    expect(await client.config.region()).toBe('ap-northeast-2');
    expect(await endpointUrl(client)).toBe('http://option:1234');
    expect(await client.config.maxAttempts()).toBe(4);
  });

  it('falls back to AWS_ENDPOINT_URL_EC2, then AWS_ENDPOINT_URL, and AWS_REGION', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_ENDPOINT_URL_EC2', 'http://ec2.env:4566');
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://all.env:4566');
    expect(await endpointUrl(ec2Client())).toBe('http://ec2.env:4566');
    expect(await ec2Client().config.region()).toBe('eu-west-1');
    vi.stubEnv('AWS_ENDPOINT_URL_EC2', undefined);
    expect(await endpointUrl(ec2Client())).toBe('http://all.env:4566');
  });

  it('keeps the adaptive mode and the attempts when the retry delay is overridden', async () => {
    const client = ec2Client({ retryDelayMs: 5, maxAttempts: 7 });
    const strategy = await client.config.retryStrategy();
    expect(strategy).toHaveProperty('mode', 'adaptive');
    expect(await client.config.maxAttempts()).toBe(7);
  });
});

describe('the real client against a local EC2 endpoint', () => {
  let server: FakeEc2 | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('retries RequestLimitExceeded, then the action is changed', async () => {
    server = await startFakeEc2([throttled, throttled, ec2OkReply('EnableVgwRoutePropagation')]);
    const ec2 = ec2Client({ endpoint: server.endpoint, region: 'us-east-1', credentials, retryDelayMs: 5 });
    const started = Date.now();
    const result = await applyAction(ec2, propagation);
    expect(result).toMatchObject({ outcome: 'changed', calls: ['EnableVgwRoutePropagation'] });
    expect(server.actions).toEqual(Array(3).fill('EnableVgwRoutePropagation'));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up after maxAttempts and reports the throttling code', async () => {
    server = await startFakeEc2([throttled]);
    const ec2 = ec2Client({ endpoint: server.endpoint, credentials, maxAttempts: 3, retryDelayMs: 5 });
    const result = await applyAction(ec2, propagation);
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'RequestLimitExceeded' });
    expect(result.detail).toContain('Request limit exceeded.');
    expect(server.actions).toHaveLength(3);
  });

  it('reads the EC2 error code from the XML body, without retrying it', async () => {
    server = await startFakeEc2([
      ec2ErrorReply('InvalidRoute.NotFound', 'no route with destination-cidr-block'),
    ]);
    const ec2 = ec2Client({ endpoint: server.endpoint, credentials, retryDelayMs: 5 });
    const result = await applyAction(ec2, vpcRouteAbsent);
    expect(result).toMatchObject({ outcome: 'already-so', calls: ['DeleteRoute'] });
    expect(server.actions).toEqual(['DeleteRoute']);
  });

  it('retries a 5xx and reports it as failed once the attempts run out', async () => {
    server = await startFakeEc2([ec2ErrorReply('InternalError', 'An internal error has occurred.', 500)]);
    const ec2 = ec2Client({ endpoint: server.endpoint, credentials, maxAttempts: 2, retryDelayMs: 5 });
    const result = await applyAction(ec2, propagation);
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'InternalError' });
    expect(server.actions).toHaveLength(2);
  });
});
