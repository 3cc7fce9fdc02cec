import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeVpnConnectionsCommand,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as healthCheck } from '../../functions/healthCheck.js';
import { handler as onTunnelAlarm } from '../../functions/onTunnelAlarm.js';
import { lambdaContext } from '../../lib/runtime/local-context.js';
import { RemediationIncompleteError } from '../../lib/usecases/errors.js';
import {
  awsDoubles,
  resetAwsDoubles,
  stubFunctionEnv,
  stubSeoulPrimaryDown,
} from '../helpers/aws-doubles.js';
import { loadEvent } from '../helpers/fixtures.js';

const aws = awsDoubles();
const { ec2, dynamo, ssm, eventBridge } = aws;
const down = new Date('2026-03-02T10:01:00.000Z');

// A real response carries the full customer gateway configuration, keys included.
const WITH_KEY = {
  CustomerGatewayConfiguration:
    '<vpn_connection><pre_shared_key>Wh4tEverKey_1</pre_shared_key></vpn_connection>',
};

beforeEach(() => {
  resetAwsDoubles(aws);
  stubSeoulPrimaryDown(aws, down, WITH_KEY);
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/tunnel-warden/mode', Value: 'enabled' } });
  stubFunctionEnv();
});
afterEach(() => vi.unstubAllEnvs());

describe('onTunnelAlarm wired through observe → decide → apply', () => {
  it('replaces the seoul-dc TGW route with the backup attachment and returns the plan and results', async () => {
    const result = await onTunnelAlarm(
      loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json'),
      lambdaContext('onTunnelAlarm'),
    );
    expect(ec2.commandCalls(ReplaceTransitGatewayRouteCommand).map((c) => c.args[0].input)).toEqual([
      {
        DestinationCidrBlock: '10.3.0.0/20',
        TransitGatewayRouteTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
        TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60002',
      },
    ]);
    expect(result).toMatchObject({
      status: 'handled',
      result: {
        sites: [
          {
            site: 'seoul-dc',
            status: 'applied',
            plan: { decision: 'failover' },
            results: [{ outcome: 'changed' }],
          },
        ],
      },
    });
    // One DescribeVpnConnections for every managed VPN, never one per connection.
    expect(ec2.commandCalls(DescribeVpnConnectionsCommand)).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain('Wh4tEverKey_1');
    expect(JSON.stringify(result)).not.toContain('pre_shared_key');
  });

  it('fails the invocation, after recording, when a change did not land, so Lambda retries it', async () => {
    ec2
      .on(ReplaceTransitGatewayRouteCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation', $metadata: {} }));
    await expect(
      onTunnelAlarm(
        loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json'),
        lambdaContext('onTunnelAlarm'),
      ),
    ).rejects.toThrow(new RemediationIncompleteError(['seoul-dc']));
    // The incident was still opened and published before the retry was asked for.
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('a sweep that cannot finish a site does not fail (it is not retried): it counts the site instead', async () => {
    ec2
      .on(ReplaceTransitGatewayRouteCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation', $metadata: {} }));
    const result = await healthCheck(
      loadEvent('aws.events/scheduled-health-check.json'),
      lambdaContext('healthCheck'),
    );
    expect(result).toMatchObject({
      status: 'handled',
      result: {
        sites: [expect.objectContaining({ site: 'seoul-dc', status: 'applied' }), expect.anything()],
      },
    });
  });

  it('takes the site lease, writes its intent before applying, and releases it', async () => {
    await onTunnelAlarm(
      loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json'),
      lambdaContext('onTunnelAlarm', 'req-lock'),
    );
    const lockCalls = dynamo
      .commandCalls(UpdateItemCommand)
      .filter((c) => c.args[0].input.Key?.sk?.S === 'LOCK' && c.args[0].input.Key.pk?.S === 'SITE#seoul-dc')
      .map((c) => c.args[0].input);
    expect(lockCalls[0]).toMatchObject({ ExpressionAttributeValues: { ':owner': { S: 'req-lock' } } });
    const intent = lockCalls.find((c) => c.ExpressionAttributeValues?.[':intent'] !== undefined);
    expect(JSON.parse(intent?.ExpressionAttributeValues?.[':intent']?.S ?? '{}')).toMatchObject({
      owner: 'req-lock',
      decision: 'failover',
      actions: [expect.objectContaining({ type: 'tgw-route' })],
    });
    // The last call releases the lease and, the outcome being recorded, drops the intent.
    expect(lockCalls.at(-1)?.UpdateExpression).toMatch(/REMOVE #owner, intent/);
  });

  it('a run that hits its deadline fails the invocation and never applies its plan afterwards', async () => {
    // The snapshot arrives after the deadline: the stale plan must not be applied when it does.
    ec2.on(SearchTransitGatewayRoutesCommand).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return {
        Routes: [
          {
            DestinationCidrBlock: '10.3.0.0/20',
            Type: 'static',
            State: 'active',
            TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60001' }],
          },
        ],
      };
    });
    const context = { ...lambdaContext('onTunnelAlarm', 'req-late'), getRemainingTimeInMillis: () => 5_500 };
    await expect(
      onTunnelAlarm(loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json'), context),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    // Let the abandoned run carry on as a reused Lambda environment would.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(ec2.commandCalls(ReplaceTransitGatewayRouteCommand)).toEqual([]);
  });
});
