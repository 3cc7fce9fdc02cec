import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
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
