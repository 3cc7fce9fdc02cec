import {
  DescribeRouteTablesCommand,
  DescribeVpnConnectionsCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as drill } from '../../functions/drill.js';
import { handler as healthCheck } from '../../functions/healthCheck.js';
import { handler as keepalive } from '../../functions/keepalive.js';
import { handler as onHealthEvent } from '../../functions/onHealthEvent.js';
import { handler as onTunnelAlarm } from '../../functions/onTunnelAlarm.js';
import { EventParseError } from '../../lib/events/errors.js';
import { lambdaContext } from '../../lib/runtime/local-context.js';
import { logger } from '../../lib/runtime/observability.js';
import { awsDoubles, resetAwsDoubles, stubFunctionEnv } from '../helpers/aws-doubles.js';
import { listEvents, loadEvent } from '../helpers/fixtures.js';

const aws = awsDoubles();
const { ec2, dynamo, ssm } = aws;

beforeEach(() => {
  resetAwsDoubles(aws);
  // An account where nothing is managed yet: every describe answers empty.
  ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [] });
  ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
  ec2.on(SearchTransitGatewayRoutesCommand).resolves({ Routes: [], AdditionalRoutesAvailable: false });
  ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  stubFunctionEnv();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('handlers turn their trigger into a Signal', () => {
  it.each(listEvents('aws.cloudwatch'))('onTunnelAlarm handles %s', async (name) => {
    const result = await onTunnelAlarm(loadEvent(name), lambdaContext('onTunnelAlarm'));
    expect(result).toMatchObject({ status: 'handled', signal: { origin: { source: 'aws.cloudwatch' } } });
  });

  it.each(listEvents('aws.cloudwatch.lambda-action').filter((name) => !name.endsWith('alarm-ec2-cpu.json')))(
    'onTunnelAlarm handles %s, the payload of a Lambda alarm action',
    async (name) => {
      const result = await onTunnelAlarm(loadEvent(name), lambdaContext('onTunnelAlarm'));
      expect(result).toMatchObject({
        status: 'handled',
        signal: { origin: { source: 'aws.cloudwatch', detailType: 'CloudWatch Alarm Action' } },
      });
    },
  );

  it.each(listEvents('aws.health'))('onHealthEvent handles %s', async (name) => {
    const result = await onHealthEvent(loadEvent(name), lambdaContext('onHealthEvent'));
    expect(result).toMatchObject({ status: 'handled', signal: { origin: { source: 'aws.health' } } });
  });

  it('healthCheck and keepalive turn their schedules into sweep and keepalive signals', async () => {
    await expect(
      healthCheck(loadEvent('aws.events/scheduled-health-check.json'), lambdaContext('healthCheck')),
    ).resolves.toMatchObject({
      signal: { kind: 'sweep' },
    });
    await expect(
      keepalive(loadEvent('aws.events/scheduled-keepalive.json'), lambdaContext('keepalive')),
    ).resolves.toMatchObject({
      signal: { kind: 'keepalive' },
    });
  });

  it('drill takes a direct invocation payload and its origin from the context', async () => {
    const result = await drill(
      { site: 'seoul-dc', scenario: 'connection-down' },
      lambdaContext('drill', 'req-42'),
    );
    expect(result).toMatchObject({
      signal: {
        kind: 'drill',
        drill: { mode: 'dry-run' },
        origin: { eventId: 'req-42', account: '111122223333', region: 'us-east-1' },
      },
    });
  });

  it('ignores events that are not about VPNs, with a debug line and no error', async () => {
    const debug = vi.spyOn(logger, 'debug');
    await expect(
      onTunnelAlarm(loadEvent('other/alarm-ec2-cpu.json'), lambdaContext('onTunnelAlarm')),
    ).resolves.toMatchObject({
      status: 'ignored',
    });
    await expect(
      onHealthEvent(loadEvent('other/health-ec2-retirement.json'), lambdaContext('onHealthEvent')),
    ).resolves.toMatchObject({
      status: 'ignored',
    });
    expect(debug).toHaveBeenCalledTimes(2);
  });
});

describe('malformed events', () => {
  it.each([
    ['malformed/alarm-reasondata-not-json.json', onTunnelAlarm],
    ['malformed/alarm-bad-vpn-id.json', onTunnelAlarm],
    ['malformed/health-missing-event-type-code.json', onHealthEvent],
    ['malformed/drill-unknown-scenario.json', drill],
  ] as const)('%s fails with a logged, typed error and touches nothing', async (name, handler) => {
    const error = vi.spyOn(logger, 'error');
    const event = loadEvent(name);
    await expect(handler(event, lambdaContext('fn'))).rejects.toBeInstanceOf(EventParseError);
    expect(error).toHaveBeenCalledWith('event rejected', expect.objectContaining({ eventId: event.id }));
    expect(ec2.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('a 40,000-deep reasonData is refused before anything reads AWS or the table', async () => {
    const event = loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json');
    const state = (event.detail as { state: { reasonData: string } }).state;
    state.reasonData = `{"d":${'['.repeat(40_000)}${']'.repeat(40_000)}}`;
    await expect(onTunnelAlarm(event, lambdaContext('fn'))).rejects.toThrow(
      /^Invalid aws\.cloudwatch event 5e2a9f0c-[\w-]+: detail\.state\.reasonData: is longer than/,
    );
    expect(ec2.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('a broken configuration fails before the event is even parsed', async () => {
    vi.stubEnv('TUNNEL_WARDEN_CONFIG', 'test/events/aws.health/vpn-redundancy-loss.json');
    await expect(
      onTunnelAlarm(loadEvent('aws.cloudwatch/alarm-tunnel-ip-down.json'), lambdaContext('fn')),
    ).rejects.toThrow(/vpn-redundancy-loss\.json: version: /);
  });
});
