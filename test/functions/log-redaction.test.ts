import {
  DescribeRouteTablesCommand,
  DescribeVpnConnectionsCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import type { MockInstance } from 'vitest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as onHealthEvent } from '../../functions/onHealthEvent.js';
import { handler as onTunnelAlarm } from '../../functions/onTunnelAlarm.js';
import { EventParseError } from '../../lib/events/errors.js';
import { lambdaContext } from '../../lib/runtime/local-context.js';
import { logger } from '../../lib/runtime/observability.js';
import { awsDoubles, resetAwsDoubles, stubFunctionEnv } from '../helpers/aws-doubles.js';
import { loadEvent } from '../helpers/fixtures.js';

/**
 * Planted-key tests for the log sink: Powertools writes each line to stdout or stderr (a Console over
 * process.stdout/stderr), so the writes are captured there, below every formatting step.
 */
const aws = awsDoubles();
const KEY = 'Zq7.planted_PSK_4f2b9c';

let writes: MockInstance[] = [];
const logged = () =>
  writes
    .flatMap((spy) => spy.mock.calls)
    .map(([chunk]) => String(chunk))
    .join('');

beforeEach(() => {
  resetAwsDoubles(aws);
  aws.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [] });
  aws.ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
  aws.ec2.on(SearchTransitGatewayRoutesCommand).resolves({ Routes: [], AdditionalRoutesAvailable: false });
  aws.ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
  stubFunctionEnv();
  // Each warm invocation resets the level to the one set at construction (SILENT in tests): keep DEBUG.
  vi.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => undefined);
  logger.setLogLevel('DEBUG');
  writes = [
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true),
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true),
  ];
});
afterEach(() => {
  logger.setLogLevel('SILENT');
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Every spelling of the key an operator or a device might have written, with the key in it. */
const spellings = [
  `psk "${KEY}"`,
  `PreSharedKey=${KEY}`,
  `pre-shared key: ${KEY}`,
  `"PreSharedKey":"${KEY}"`,
  `<pre_shared_key>${KEY}</pre_shared_key>`,
  `PSK:${KEY}`,
];

describe('no pre-shared key reaches the logs', () => {
  it.each(spellings)('an alarm reason carrying %s', async (planted) => {
    const event = loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json');
    const detail = event.detail as { state: { reason: string } };
    detail.state.reason = `Threshold Crossed; operator note: ${planted}`;
    await onTunnelAlarm(event, lambdaContext('onTunnelAlarm')).catch(() => undefined);
    const out = logged();
    expect(out).toContain('signal received');
    expect(out).toContain('operator note');
    expect(out).not.toContain(KEY);
  });

  it.each(spellings)('a Health description carrying %s', async (planted) => {
    const event = loadEvent('aws.health/vpn-redundancy-loss.json');
    const detail = event.detail as { eventDescription: { latestDescription: string }[] };
    const [description] = detail.eventDescription;
    if (description === undefined) throw new Error('fixture has no description');
    description.latestDescription = `A tunnel endpoint was replaced. Customer gateway config: ${planted}`;
    await onHealthEvent(event, lambdaContext('onHealthEvent')).catch(() => undefined);
    const out = logged();
    expect(out).toContain('signal received');
    expect(out).toContain('A tunnel endpoint was replaced');
    expect(out).not.toContain(KEY);
  });

  it.each(spellings)('an AWS error message carrying %s, logged and thrown', async (planted) => {
    aws.ec2
      .on(DescribeVpnConnectionsCommand)
      .rejects(Object.assign(new Error(`request rejected: ${planted}`), { name: 'InvalidParameterValue' }));
    const thrown = await onTunnelAlarm(
      loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json'),
      lambdaContext('onTunnelAlarm'),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    const out = logged();
    expect(out).toContain('request rejected');
    expect(out).not.toContain(KEY);
    // Lambda writes a thrown error's message and stack to the log itself, past the Logger.
    expect(thrown).toBeInstanceOf(Error);
    const error = thrown as Error;
    for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
      expect(`${e.message}\n${e.stack ?? ''}`).not.toContain(KEY);
    }
  });

  it.each(spellings)('an invalid event field carrying %s, logged and thrown', async (planted) => {
    const event = loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json');
    const detail = event.detail as { state: { timestamp: string } };
    detail.state.timestamp = planted;
    const thrown = await onTunnelAlarm(event, lambdaContext('onTunnelAlarm')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(EventParseError);
    const error = thrown as EventParseError;
    expect(logged()).toContain('event rejected');
    expect(`${logged()}${error.message}${error.stack ?? ''}`).not.toContain(KEY);
    expect(error.message).toContain('detail.state.timestamp');
  });
});
