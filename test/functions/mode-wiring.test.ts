import { ReplaceTransitGatewayRouteCommand } from '@aws-sdk/client-ec2';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as healthCheck } from '../../functions/healthCheck.js';
import { handler as onHealthEvent } from '../../functions/onHealthEvent.js';
import { handler as onTunnelAlarm } from '../../functions/onTunnelAlarm.js';
import { lambdaContext } from '../../lib/runtime/local-context.js';
import { logger, metrics } from '../../lib/runtime/observability.js';
import { ModeUnreadableError } from '../../lib/usecases/errors.js';
import {
  awsDoubles,
  resetAwsDoubles,
  stubFunctionEnv,
  stubSeoulPrimaryDown,
} from '../helpers/aws-doubles.js';
import { loadEvent } from '../helpers/fixtures.js';

/**
 * A kill switch that cannot be read (or holds no mode) must never silently turn an alarm run into a
 * dry-run: no route moves, and yet the run fails (Lambda retries it), the metric counts it, and the
 * incident and the page say why nothing moved. Each file gets its own modules, so no reading of
 * another test file's kill switch is cached here.
 */
const aws = awsDoubles();
const { ec2, ssm, eventBridge, sns } = aws;
const PARAMETER = '/tunnel-warden/mode';
const down = new Date('2026-03-02T10:01:00.000Z');

const accessDenied = () =>
  Object.assign(new Error(`User is not authorized to perform: ssm:GetParameter on ${PARAMETER}`), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400 },
  });

const alarm = () =>
  onTunnelAlarm(loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json'), lambdaContext('onTunnelAlarm'));

const published = () =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .map((e) => ({
      type: e.DetailType,
      detail: JSON.parse(e.Detail ?? '{}') as { incident?: { summary?: string } },
    }));

let counted: string[] = [];

beforeEach(() => {
  resetAwsDoubles(aws);
  stubSeoulPrimaryDown(aws, down);
  ssm.on(GetParameterCommand).rejects(accessDenied());
  stubFunctionEnv();
  vi.stubEnv('TUNNEL_WARDEN_TOPIC_ARN', 'arn:aws:sns:us-east-1:123456789012:tunnel-warden');
  counted = [];
  vi.spyOn(metrics, 'addMetric').mockImplementation((name) => {
    counted.push(name);
    return metrics;
  });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('an unreadable kill switch is loud', () => {
  it('an alarm run moves no route, fails with ModeUnreadableError, and counts ModeUnreadable', async () => {
    const error = await alarm().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModeUnreadableError);
    expect((error as ModeUnreadableError).message).toContain(
      `no route changed: kill switch ${PARAMETER} unreadable (AccessDeniedException: User is not authorized`,
    );
    expect((error as ModeUnreadableError).message).toMatch(/; running dry-run$/);
    expect(ec2.commandCalls(ReplaceTransitGatewayRouteCommand)).toHaveLength(0);
    expect(counted).toContain('ModeUnreadable');
  });

  it('logs an error line that names the switch and why', async () => {
    const errors = vi.spyOn(logger, 'error');
    await expect(alarm()).rejects.toBeInstanceOf(ModeUnreadableError);
    expect(errors).toHaveBeenCalledWith('kill switch unreadable: no route changed', {
      mode: expect.objectContaining({
        source: 'fallback',
        detail: expect.stringContaining(`kill switch ${PARAMETER} unreadable (AccessDeniedException`),
      }),
    });
  });

  it('records first: the incident and the page say why nothing moved', async () => {
    await expect(alarm()).rejects.toBeInstanceOf(ModeUnreadableError);
    const opened = published().find((e) => e.type === 'Incident Opened');
    expect(opened?.detail.incident?.summary).toContain(
      `no route changed: kill switch ${PARAMETER} unreadable (AccessDeniedException`,
    );
    const page = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(page).toContain(`no route changed: kill switch ${PARAMETER} unreadable (AccessDeniedException`);
    expect(page).toContain('running dry-run');
  });

  it.each(['Enabled', 'enable'])('fails the same way on the invalid value %j, naming it', async (value) => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Value: value } });
    await expect(alarm()).rejects.toThrow(
      `no route changed: kill switch ${PARAMETER} holds "${value}", not one of enabled, dry-run, disabled; running dry-run`,
    );
    expect(ec2.commandCalls(ReplaceTransitGatewayRouteCommand)).toHaveLength(0);
    expect(counted).toContain('ModeUnreadable');
  });

  it('fails on a transient 500 too (the retry reads the switch again)', async () => {
    ssm.on(GetParameterCommand).rejects(
      Object.assign(new Error('Internal error'), {
        name: 'InternalServerError',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    await expect(alarm()).rejects.toBeInstanceOf(ModeUnreadableError);
  });

  it('an AWS Health run fails too', async () => {
    await expect(
      onHealthEvent(loadEvent('aws.health/vpn-redundancy-loss.json'), lambdaContext('onHealthEvent')),
    ).rejects.toBeInstanceOf(ModeUnreadableError);
    expect(counted).toContain('ModeUnreadable');
  });

  it('a sweep is not retried, so it does not fail: it counts ModeUnreadable and records why', async () => {
    const result = await healthCheck(
      loadEvent('aws.events/scheduled-health-check.json'),
      lambdaContext('healthCheck'),
    );
    expect(result).toMatchObject({ status: 'handled' });
    expect(counted).toContain('ModeUnreadable');
    expect(ec2.commandCalls(ReplaceTransitGatewayRouteCommand)).toHaveLength(0);
    expect(
      published().some((e) => e.detail.incident?.summary?.includes('no route changed: kill switch')),
    ).toBe(true);
  });

  it('a readable switch counts nothing and does not fail', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Value: 'enabled' } });
    await alarm();
    expect(counted).not.toContain('ModeUnreadable');
    expect(ec2.commandCalls(ReplaceTransitGatewayRouteCommand)).toHaveLength(1);
  });
});
