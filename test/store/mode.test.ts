import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ssmClient } from '../../lib/aws/clients.js';
import type { Mode } from '../../lib/config/schema.js';
import { SsmModeReader } from '../../lib/store/mode.js';

const NAME = '/tunnel-warden/mode';
const T0 = new Date('2025-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const ssm = mockClient(SSMClient);
// The mock intercepts send(); the endpoint only guarantees nothing could leave the machine anyway.
const client = new SSMClient({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
});
const reader = (configMode: Mode, cacheMs?: number) => new SsmModeReader(client, NAME, configMode, cacheMs);
const holds = (value: string) =>
  ssm.on(GetParameterCommand, { Name: NAME }).resolves({ Parameter: { Value: value } });
const notFound = () => new ParameterNotFound({ message: 'not found', $metadata: {} });

beforeEach(() => {
  ssm.reset();
});

describe('SsmModeReader', () => {
  it.each(['enabled', 'dry-run', 'disabled'] as const)('reads %s from the parameter', async (mode) => {
    holds(` ${mode}\n`);
    expect(await reader('dry-run').read(T0)).toEqual({ mode, source: 'parameter' });
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: NAME });
  });

  it('lets the parameter override a disabled config when it can be read', async () => {
    holds('enabled');
    expect(await reader('disabled').read(T0)).toEqual({ mode: 'enabled', source: 'parameter' });
  });

  it('uses the config mode without any call when no parameter is configured', async () => {
    const result = await new SsmModeReader(client, undefined, 'enabled').read(T0);
    expect(result).toMatchObject({ mode: 'enabled', source: 'config' });
    expect(ssm.calls()).toHaveLength(0);
  });

  it('uses the config mode when the parameter does not exist', async () => {
    ssm.on(GetParameterCommand).rejects(notFound());
    expect(await reader('enabled').read(T0)).toEqual({
      mode: 'enabled',
      source: 'config',
      detail: `parameter ${NAME} does not exist`,
    });
  });

  it.each(['enabled', 'dry-run'] as const)(
    'falls back to dry-run on an error (config %s)',
    async (config) => {
      ssm.on(GetParameterCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
      const result = await reader(config).read(T0);
      expect(result).toMatchObject({ mode: 'dry-run', source: 'fallback' });
      expect(result.detail).toContain('AccessDeniedException');
    },
  );

  it.each(['ENABLED', 'on', '', 'enabled please'])(
    'falls back to dry-run on the invalid value %j',
    async (v) => {
      holds(v);
      const result = await reader('enabled').read(T0);
      expect(result).toMatchObject({ mode: 'dry-run', source: 'fallback' });
      expect(result.detail).toContain('not one of enabled, dry-run, disabled');
    },
  );

  it.each(['Enabled', 'enable'])(
    'names the parameter, the value %j and the allowed values when it falls back',
    async (v) => {
      holds(v);
      expect((await reader('enabled').read(T0)).detail).toBe(
        `kill switch ${NAME} holds "${v}", not one of enabled, dry-run, disabled; running dry-run`,
      );
    },
  );

  it.each([
    ['AccessDeniedException', 'User is not authorized to perform: ssm:GetParameter'],
    ['InternalServerError', 'We encountered an internal error. Please try again.'],
  ])('names the parameter and the %s when it cannot be read', async (name, message) => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error(message), { name }));
    expect((await reader('enabled').read(T0)).detail).toBe(
      `kill switch ${NAME} unreadable (${name}: ${message}); allowed values: enabled, dry-run, disabled; running dry-run`,
    );
  });

  it('clips a long value so that a page stays readable', async () => {
    holds('x'.repeat(5_000));
    expect((await reader('enabled').read(T0)).detail?.length).toBeLessThan(400);
  });

  it('falls back to dry-run when the parameter has no value', async () => {
    ssm.on(GetParameterCommand).resolves({});
    expect(await reader('enabled').read(T0)).toMatchObject({ mode: 'dry-run', source: 'fallback' });
  });

  it('keeps a disabled config over the dry-run fallback', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new Error('timeout'))
      .resolves({ Parameter: { Value: 'on' } });
    const r = reader('disabled');
    expect(await r.read(T0)).toMatchObject({ mode: 'disabled', source: 'fallback' });
    expect(await r.read(T0)).toMatchObject({ mode: 'disabled', source: 'fallback' });
  });

  it('caches a successful read for cacheMs, then reads again', async () => {
    holds('enabled');
    const r = reader('dry-run', 30_000);
    await r.read(T0);
    holds('disabled');
    expect(await r.read(at(29_999))).toEqual({ mode: 'enabled', source: 'parameter' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(await r.read(at(30_000))).toEqual({ mode: 'disabled', source: 'parameter' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('caches ParameterNotFound too', async () => {
    ssm.on(GetParameterCommand).rejects(notFound());
    const r = reader('enabled');
    await r.read(T0);
    await r.read(at(1_000));
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('does not cache a failure: the next read tries again', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ Parameter: { Value: 'enabled' } });
    const r = reader('dry-run');
    expect(await r.read(T0)).toMatchObject({ source: 'fallback' });
    expect(await r.read(at(1))).toEqual({ mode: 'enabled', source: 'parameter' });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('reads again when the clock went backwards', async () => {
    holds('enabled');
    const r = reader('dry-run');
    await r.read(T0);
    await r.read(at(-1));
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});

describe('ssmClient', () => {
  it('takes the endpoint from options, then AWS_ENDPOINT_URL_SSM, then AWS_ENDPOINT_URL', async () => {
    const endpoint = async (c: SSMClient) => {
      const resolved = await c.config.endpoint?.();
      return resolved === undefined
        ? undefined
        : `${resolved.protocol}//${resolved.hostname}:${resolved.port}`;
    };
    const env = { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4001', AWS_ENDPOINT_URL: 'http://127.0.0.1:4000' };
    const region = 'us-east-1';
    expect(await endpoint(ssmClient({ region, endpoint: 'http://127.0.0.1:4002' }, env))).toBe(
      'http://127.0.0.1:4002',
    );
    expect(await endpoint(ssmClient({ region }, env))).toBe('http://127.0.0.1:4001');
    expect(await endpoint(ssmClient({ region }, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4000' }))).toBe(
      'http://127.0.0.1:4000',
    );
    expect(await ssmClient({ region }, env).config.maxAttempts()).toBe(8);
  });
});
