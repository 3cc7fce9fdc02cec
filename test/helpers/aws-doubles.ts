import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeRouteTablesCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';

/** SDK doubles for every client the functions use; one set per test file (the mocks patch the prototypes). */
export function awsDoubles() {
  return {
    ec2: mockClient(EC2Client),
    dynamo: mockClient(DynamoDBClient),
    ssm: mockClient(SSMClient),
    eventBridge: mockClient(EventBridgeClient),
    sns: mockClient(SNSClient),
  };
}

export type AwsDoubles = ReturnType<typeof awsDoubles>;

/**
 * Resets every double to what an empty, healthy account answers: events and messages accepted,
 * DynamoDB reads empty and writes accepted. EC2 and SSM are left to each test.
 */
export function resetAwsDoubles(d: AwsDoubles): void {
  for (const m of [d.ec2, d.ssm, d.eventBridge, d.sns, d.dynamo]) m.reset();
  d.eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  d.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  d.dynamo.on(PutItemCommand).resolves({}).on(GetItemCommand).resolves({}).on(DeleteItemCommand).resolves({});
  // Lease items answer with their fence, as DynamoDB returns ALL_NEW for the acquiring update.
  d.dynamo
    .on(UpdateItemCommand)
    .callsFake((input: { Key?: Record<string, { S?: string }> }) =>
      input.Key?.sk?.S === 'LOCK' ? { Attributes: { fence: { N: '1' } } } : {},
    )
    .on(QueryCommand)
    .resolves({ Items: [] });
}

/** The environment the functions read at cold start: the shipped configuration and a table name. */
export function stubFunctionEnv(table = 'tunnel-warden-test-state'): void {
  vi.stubEnv('TUNNEL_WARDEN_CONFIG', 'tunnel-warden.yml');
  vi.stubEnv('TUNNEL_WARDEN_TABLE', table);
}

/**
 * A DescribeVpnConnections entry as EC2 answers it: a static VPN on the demo transit gateway whose
 * tunnels are all `status` since `since`. `extra` adds fields (e.g. a CustomerGatewayConfiguration
 * with a key in it, which must never be copied).
 */
export function sdkTgwVpn(
  id: string,
  ips: readonly [string, string],
  status: 'UP' | 'DOWN',
  since: Date,
  extra: { readonly CustomerGatewayConfiguration?: string } = {},
) {
  return {
    VpnConnectionId: id,
    State: 'available' as const,
    TransitGatewayId: 'tgw-0a1b2c3d4e5f60001',
    Options: { StaticRoutesOnly: true },
    ...extra,
    VgwTelemetry: ips.map((ip) => ({
      OutsideIpAddress: ip,
      Status: status,
      LastStatusChange: since,
      StatusMessage: '',
      AcceptedRouteCount: 0,
    })),
  };
}

/**
 * The shipped config's seoul-dc with its primary VPN down since `since` and its TGW route still on the
 * primary: what EC2 answers before a failover. Replaces succeed; VPC route tables are empty.
 */
export function stubSeoulPrimaryDown(
  d: AwsDoubles,
  since: Date,
  extra: Parameters<typeof sdkTgwVpn>[4] = {},
) {
  d.ec2.on(DescribeVpnConnectionsCommand).resolves({
    VpnConnections: [
      sdkTgwVpn('vpn-0a1b2c3d4e5f60001', ['198.51.100.10', '198.51.100.11'], 'DOWN', since, extra),
      sdkTgwVpn('vpn-0a1b2c3d4e5f60002', ['198.51.100.20', '198.51.100.21'], 'UP', since, extra),
    ],
  });
  d.ec2.on(SearchTransitGatewayRoutesCommand).resolves({
    Routes: [
      {
        DestinationCidrBlock: '10.3.0.0/20',
        Type: 'static',
        State: 'active',
        TransitGatewayAttachments: [
          { TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60001', ResourceType: 'vpn' },
        ],
      },
    ],
    AdditionalRoutesAvailable: false,
  });
  d.ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
  d.ec2.on(ReplaceTransitGatewayRouteCommand).resolves({});
}
