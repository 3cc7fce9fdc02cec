import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { dynamoClient, ec2Client, eventBridgeClient, snsClient, ssmClient } from '../aws/clients.js';

export interface RuntimeClients {
  readonly ec2: EC2Client;
  readonly dynamo: DynamoDBClient;
  readonly ssm: SSMClient;
  readonly eventBridge: EventBridgeClient;
  readonly sns: SNSClient;
}

let clients: RuntimeClients | undefined;

/**
 * SDK clients, made once per container on first use and reused across invocations. Endpoints come
 * from AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL when set — that is all the twin changes.
 */
export function runtimeClients(): RuntimeClients {
  clients ??= {
    ec2: ec2Client(),
    dynamo: dynamoClient(),
    ssm: ssmClient(),
    eventBridge: eventBridgeClient(),
    sns: snsClient(),
  };
  return clients;
}

/** Forget the clients, so the next invocation reads the endpoints again (a new twin in the same process). */
export function resetRuntimeClients(): void {
  clients = undefined;
}
