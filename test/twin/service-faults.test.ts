/**
 * Faults on the twin's DynamoDB, SSM, EventBridge and SNS endpoints: each answered in the service's own
 * wire protocol, so the real SDK classifies it as it would an AWS error (class, code, status, retry).
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, type LocalDynamo, startLocalDynamo } from '../../lib/twin/dynamo.js';
import { Faults } from '../../lib/twin/faults.js';
import { type ServicesTwin, startServicesTwin } from '../../lib/twin/services/server.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:tunnel-warden';

let faults: Faults;
let services: ServicesTwin;
let dynamo: LocalDynamo;
const clients: { destroy(): void }[] = [];

function config(endpoint: string, maxAttempts = 1) {
  return { endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts };
}

beforeAll(async () => {
  faults = new Faults(7);
  services = await startServicesTwin({ onPutEvents: () => undefined, now: () => NOW, faults });
  dynamo = await startLocalDynamo('faults', { faults, now: () => NOW });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await Promise.all([services.close(), dynamo.close()]);
});

beforeEach(() => {
  faults.clear();
  services.parameters.set('/tunnel-warden/mode', 'enabled');
});

function client<T extends { destroy(): void }>(made: T): T {
  clients.push(made);
  return made;
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  return promise.then(
    () => expect.unreachable('the call succeeded'),
    (error: unknown) => error as Error & Record<string, unknown>,
  );
}

const item = (pk: string) => ({
  TableName: dynamo.table,
  Item: { pk: { S: pk }, sk: { S: 'x' } },
});

describe('DynamoDB faults (a proxy in front of dynalite)', () => {
  it('throttles PutItem with ProvisionedThroughputExceededException; other actions pass', async () => {
    faults.throttle({ service: 'dynamodb', action: 'PutItem', count: 1 });
    const ddb = client(new DynamoDBClient(config(dynamo.endpoint)));
    const error = await rejection(ddb.send(new PutItemCommand(item('a'))));
    expect(error.name).toBe('ProvisionedThroughputExceededException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    await ddb.send(new PutItemCommand(item('a')));
    const read = await ddb.send(
      new GetItemCommand({ TableName: dynamo.table, Key: { pk: { S: 'a' }, sk: { S: 'x' } } }),
    );
    expect(read.Item?.pk).toEqual({ S: 'a' });
    expect(dynamo.calls.map((c) => [c.action, c.errorCode])).toEqual([
      ['PutItem', 'ProvisionedThroughputExceededException'],
      ['PutItem', undefined],
      ['GetItem', undefined],
    ]);
  });

  it('answers InternalServerError with 500, which the SDK retries', async () => {
    faults.serverError({ service: 'dynamodb', action: 'PutItem', count: 2 });
    const ddb = client(new DynamoDBClient(config(dynamo.endpoint, 3)));
    const out = await ddb.send(new PutItemCommand(item('b')));
    expect(out.$metadata.attempts).toBe(3);
    const once = client(new DynamoDBClient(config(dynamo.endpoint)));
    faults.serverError({ service: 'dynamodb', count: 1 });
    const error = await rejection(once.send(new PutItemCommand(item('c'))));
    expect(error.name).toBe('InternalServerError');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 500 });
  });

  it('does not fault the twin’s own client, which goes to dynalite directly', async () => {
    faults.serverError({ service: 'dynamodb' });
    await dynamo.client.send(new PutItemCommand(item('d')));
  });
});

describe('SSM, EventBridge and SNS faults', () => {
  it('throttles GetParameter with ThrottlingException', async () => {
    faults.throttle({ service: 'ssm', action: 'GetParameter', count: 1 });
    const ssm = client(new SSMClient(config(services.endpoint)));
    const error = await rejection(ssm.send(new GetParameterCommand({ Name: '/tunnel-warden/mode' })));
    expect(error.name).toBe('ThrottlingException');
    const out = await ssm.send(new GetParameterCommand({ Name: '/tunnel-warden/mode' }));
    expect(out.Parameter?.Value).toBe('enabled');
    expect(services.calls.filter((c) => c.service === 'ssm').map((c) => c.errorCode)).toEqual([
      'ThrottlingException',
      undefined,
    ]);
  });

  it('fails PutEvents whole with InternalException (500)', async () => {
    faults.serverError({ service: 'events', action: 'PutEvents' });
    const events = client(new EventBridgeClient(config(services.endpoint)));
    const error = await rejection(
      events.send(
        new PutEventsCommand({ Entries: [{ Source: 'tunnel-warden', DetailType: 'Test', Detail: '{}' }] }),
      ),
    );
    expect(error.name).toBe('InternalException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 500 });
  });

  it('answers Publish with Throttling or InternalError in SNS’s XML', async () => {
    const sns = client(new SNSClient(config(services.endpoint)));
    faults.throttle({ service: 'sns', action: 'Publish', count: 1 });
    const throttled = await rejection(sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'm' })));
    // AWS's common query-protocol throttling code; the SDK's retry strategy knows it as throttling.
    expect(throttled.name).toBe('Throttling');
    expect(throttled.$metadata).toMatchObject({ httpStatusCode: 400 });
    faults.throttle({ service: 'sns', action: 'Publish', count: 1 });
    const retrying = client(new SNSClient(config(services.endpoint, 2)));
    const retried = await retrying.send(new PublishCommand({ TopicArn: TOPIC, Message: 'm' }));
    expect(retried.$metadata.attempts).toBe(2);
    faults.serverError({ service: 'sns', action: 'Publish', count: 1 });
    const broken = await rejection(sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'm' })));
    expect(broken.name).toBe('InternalErrorException');
    expect(broken.$metadata).toMatchObject({ httpStatusCode: 500 });
    await sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'm' }));
    expect(services.snsMessages).toHaveLength(2);
  });

  it('targets one service only: an EC2 rule never touches SNS', async () => {
    faults.serverError({ action: 'Publish' });
    const sns = client(new SNSClient(config(services.endpoint)));
    await sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'm' }));
  });

  it('hits by rate deterministically: the same seed gives the same calls', () => {
    const pattern = (seed: number) => {
      const f = new Faults(seed).throttle({ service: 'sns', action: 'Publish', rate: 0.5 });
      return Array.from({ length: 12 }, () => f.decideFor('sns', 'Publish').error ?? '-').join(',');
    };
    expect(pattern(3)).toBe(pattern(3));
    expect(pattern(3)).toMatch(/throttle/);
    expect(pattern(3)).toMatch(/-/);
  });
});
