import {
  DescribeRouteTablesCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as onTunnelAlarm } from '../../functions/onTunnelAlarm.js';
import { DynamoIncidentStore } from '../../lib/incidents/dynamo-store.js';
import { resetRuntimeClients } from '../../lib/runtime/clients.js';
import { setClock } from '../../lib/runtime/clock.js';
import { lambdaContext } from '../../lib/runtime/local-context.js';
import { sdkTgwVpn } from '../helpers/aws-doubles.js';
import { loadEvent } from '../helpers/fixtures.js';
import { type LocalTable, startDynalite } from '../store/dynalite.js';

/** DynamoDB is real (dynalite over the wire); EC2, EventBridge, SNS and SSM are SDK mocks. */
const ec2 = mockClient(EC2Client);
const eventBridge = mockClient(EventBridgeClient);
const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);
let local: LocalTable;
let clock = new Date('2026-03-02T10:06:00.000Z');
let restoreClock: () => void;

let primary: 'UP' | 'DOWN' = 'DOWN';
let routeAttachment = 'tgw-attach-0a1b2c3d4e5f60001';

/** The TGW route the mock EC2 keeps: ReplaceTransitGatewayRoute moves it. */
let failNextReplace = false;
function replaceRoute(input: { TransitGatewayAttachmentId?: string }) {
  if (failNextReplace) {
    failNextReplace = false;
    throw Object.assign(new Error('internal'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
  }
  routeAttachment = input.TransitGatewayAttachmentId ?? routeAttachment;
  return {};
}

beforeEach(async () => {
  failNextReplace = false;
  // A fresh table per test: incidents of one test must not relapse into the next.
  local = await startDynalite('incidents');
  primary = 'DOWN';
  routeAttachment = 'tgw-attach-0a1b2c3d4e5f60001';
  clock = new Date('2026-03-02T10:06:00.000Z');
  restoreClock = setClock(() => clock);
  vi.stubEnv('TUNNEL_WARDEN_CONFIG', 'tunnel-warden.yml');
  vi.stubEnv('TUNNEL_WARDEN_TABLE', local.table);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', local.endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv(
    'TUNNEL_WARDEN_TOPIC_ARN',
    'arn:aws:sns:us-east-1:111122223333:tunnel-warden-test-notifications',
  );
  resetRuntimeClients();
  for (const m of [ec2, eventBridge, sns, ssm]) m.reset();
  ec2.on(DescribeVpnConnectionsCommand).callsFake(() => ({
    VpnConnections: [
      sdkTgwVpn(
        'vpn-0a1b2c3d4e5f60001',
        ['198.51.100.10', '198.51.100.11'],
        primary,
        new Date(primary === 'DOWN' ? '2026-03-02T10:01:00.000Z' : '2026-03-02T10:20:00.000Z'),
      ),
      sdkTgwVpn(
        'vpn-0a1b2c3d4e5f60002',
        ['198.51.100.20', '198.51.100.21'],
        'UP',
        new Date('2026-03-01T00:00:00.000Z'),
      ),
    ],
  }));
  ec2.on(SearchTransitGatewayRoutesCommand).callsFake(() => ({
    Routes: [
      {
        DestinationCidrBlock: '10.3.0.0/20',
        Type: 'static',
        State: 'active',
        TransitGatewayAttachments: [{ TransitGatewayAttachmentId: routeAttachment }],
      },
    ],
    AdditionalRoutesAvailable: false,
  }));
  ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
  ec2.on(ReplaceTransitGatewayRouteCommand).callsFake(replaceRoute);
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'enabled' } });
});
afterEach(async () => {
  restoreClock();
  vi.unstubAllEnvs();
  resetRuntimeClients();
  await local.close();
});

const store = () => new DynamoIncidentStore(local.client, local.table);
/** The incident events published (Route Moved events, one per moved route, are counted by `routeMoves`). */
const detailTypes = () =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .map((c) => c.args[0].input.Entries?.[0]?.DetailType)
    .filter((t) => t !== 'Route Moved');
/** The Route Moved events published: `<reason> <from path> → <to path>`. */
const routeMoves = () =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .filter((e) => e.DetailType === 'Route Moved')
    .map((e) => {
      const d = JSON.parse(e.Detail ?? '{}') as {
        reason: string;
        from: { path: string };
        to: { path: string };
      };
      return `${d.reason} ${d.from.path} → ${d.to.path}`;
    });

function alarm(id: string, state: 'ALARM' | 'OK', timestamp: string) {
  const event = loadEvent('aws.cloudwatch/alarm-vpn-all-tunnels-down.json');
  event.id = id;
  const detail = event.detail as {
    state: { value: string; timestamp: string };
    previousState: { value: string };
  };
  detail.state.value = state;
  detail.state.timestamp = timestamp;
  detail.previousState.value = state === 'OK' ? 'ALARM' : 'OK';
  return event;
}

describe('incidents on DynamoDB (dynalite), through the real handler', () => {
  it('a duplicate delivery gives one action and one set of timeline entries', async () => {
    const event = alarm('dup-1', 'ALARM', '2026-03-02T10:05:40.989+0000');
    await onTunnelAlarm(structuredClone(event), lambdaContext('onTunnelAlarm', 'r1'));
    await onTunnelAlarm(structuredClone(event), lambdaContext('onTunnelAlarm', 'r2'));
    expect(ec2.commandCalls(ReplaceTransitGatewayRouteCommand)).toHaveLength(1);
    const incident = await store().current('seoul-dc');
    expect(incident).toMatchObject({
      status: 'open',
      kind: 'connection-down',
      startedAt: '2026-03-02T10:01:00.000Z',
      mitigatedAt: '2026-03-02T10:06:00.000Z',
    });
    const timeline = await store().timeline(incident?.id ?? '');
    expect(timeline.filter((e) => e.type === 'signal')).toHaveLength(1);
    expect(timeline.filter((e) => e.type === 'action')).toHaveLength(1);
    expect(detailTypes()).toEqual(['Incident Opened']);
    expect(routeMoves()).toEqual(['failover primary → backup']);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject)).toEqual([
      '[tunnel-warden] MAJOR connection-down opened: seoul-dc',
    ]);
  });

  it('a run whose change did not land fails; the redelivery runs again and finishes it', async () => {
    failNextReplace = true;
    const event = alarm('retry-1', 'ALARM', '2026-03-02T10:05:40.989+0000');
    await expect(onTunnelAlarm(structuredClone(event), lambdaContext('onTunnelAlarm', 'a1'))).rejects.toThrow(
      'remediation incomplete for seoul-dc',
    );
    expect(routeAttachment).toBe('tgw-attach-0a1b2c3d4e5f60001');
    // Idempotency let go of the failed run, so Lambda's retry of the same event does the work.
    await onTunnelAlarm(structuredClone(event), lambdaContext('onTunnelAlarm', 'a2'));
    expect(routeAttachment).toBe('tgw-attach-0a1b2c3d4e5f60002');
    // Opened by the failed run (not mitigated), then updated once traffic moved.
    expect(await store().current('seoul-dc')).toMatchObject({
      status: 'open',
      kind: 'connection-down',
      mitigatedAt: '2026-03-02T10:06:00.000Z',
    });
    expect(detailTypes()).toEqual(['Incident Opened', 'Incident Updated']);
    // The failed run moved nothing; the retry's move is published once.
    expect(routeMoves()).toEqual(['failover primary → backup']);
  });

  it('resolves after failback, and an older event arriving late does not reopen it', async () => {
    await onTunnelAlarm(
      alarm('a-1', 'ALARM', '2026-03-02T10:05:40.989+0000'),
      lambdaContext('onTunnelAlarm'),
    );
    primary = 'UP';
    clock = new Date('2026-03-02T10:31:00.000Z');
    await onTunnelAlarm(alarm('a-2', 'OK', '2026-03-02T10:30:40.000+0000'), lambdaContext('onTunnelAlarm'));
    expect(routeAttachment).toBe('tgw-attach-0a1b2c3d4e5f60001');
    const resolved = await store().current('seoul-dc');
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: '2026-03-02T10:31:00.000Z' });
    // A redelivered old ALARM (new id, old timestamp) observes the healthy present: nothing moves back.
    clock = new Date('2026-03-02T10:32:00.000Z');
    await onTunnelAlarm(
      alarm('a-0', 'ALARM', '2026-03-02T10:04:00.000+0000'),
      lambdaContext('onTunnelAlarm'),
    );
    expect(await store().current('seoul-dc')).toMatchObject({
      status: 'resolved',
      version: resolved?.version,
    });
    expect(detailTypes()).toEqual(['Incident Opened', 'Incident Resolved']);
    expect(routeMoves()).toEqual(['failover primary → backup', 'failback backup → primary']);
  });

  it('a relapse inside the window reopens the same incident', async () => {
    await onTunnelAlarm(
      alarm('r-1', 'ALARM', '2026-03-02T10:05:40.989+0000'),
      lambdaContext('onTunnelAlarm'),
    );
    const opened = await store().current('seoul-dc');
    primary = 'UP';
    clock = new Date('2026-03-02T10:31:00.000Z');
    await onTunnelAlarm(alarm('r-2', 'OK', '2026-03-02T10:30:40.000+0000'), lambdaContext('onTunnelAlarm'));
    primary = 'DOWN';
    clock = new Date('2026-03-02T10:40:00.000Z');
    await onTunnelAlarm(
      alarm('r-3', 'ALARM', '2026-03-02T10:39:40.000+0000'),
      lambdaContext('onTunnelAlarm'),
    );
    expect(await store().current('seoul-dc')).toMatchObject({
      id: opened?.id,
      status: 'open',
      reopenCount: 1,
      path: 'primary',
    });
  });

  it('two concurrent invocations for one site leave one consistent incident', async () => {
    await Promise.all([
      onTunnelAlarm(
        alarm('c-1', 'ALARM', '2026-03-02T10:05:40.989+0000'),
        lambdaContext('onTunnelAlarm', 'c1'),
      ),
      onTunnelAlarm(
        alarm('c-2', 'ALARM', '2026-03-02T10:05:41.000+0000'),
        lambdaContext('onTunnelAlarm', 'c2'),
      ),
    ]);
    expect(ec2.commandCalls(ReplaceTransitGatewayRouteCommand)).toHaveLength(1);
    const incidents = await store().list({ limit: 10 });
    expect(incidents.filter((i) => i.subject === 'seoul-dc')).toHaveLength(1);
    const timeline = await store().timeline(incidents[0]?.id ?? '');
    expect(
      timeline
        .filter((e) => e.type === 'signal')
        .map((e) => e.entryId)
        .sort(),
    ).toEqual(['c-1#signal', 'c-2#signal']);
  });
});
