import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvalidParameterException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { snsMessage } from '../../lib/incidents/message.js';
import { AwsIncidentPublisher } from '../../lib/incidents/publisher.js';
import { incidentEventEntry } from '../../lib/incidents/schema.js';
import { SsmModeReader } from '../../lib/store/mode.js';
import { type BusEntry, type ServicesTwin, startServicesTwin } from '../../lib/twin/services/server.js';
import { event } from '../incidents/publish-fixtures.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:tunnel-warden';
const credentials = { accessKeyId: 'twin', secretAccessKey: 'twin' };

let twin: ServicesTwin;
let delivered: BusEntry[][];
let ssm: SSMClient;
let eventBridge: EventBridgeClient;
let sns: SNSClient;

beforeAll(async () => {
  twin = await startServicesTwin({ onPutEvents: (entries) => delivered.push(entries), now: () => NOW });
  // One attempt: the twin answers every request, so a retry would only hide a protocol mistake.
  const config = { endpoint: twin.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
  ssm = new SSMClient(config);
  eventBridge = new EventBridgeClient(config);
  sns = new SNSClient(config);
});

afterAll(async () => {
  for (const client of [ssm, eventBridge, sns]) client.destroy();
  await twin.close();
});

beforeEach(() => {
  delivered = [];
  twin.parameters.clear();
  twin.snsMessages.length = 0;
  twin.calls.length = 0;
});

/** The rejection of a promise, for assertions on the SDK's error object. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('SSM', () => {
  it('answers GetParameter with the parameter, as the SDK types it', async () => {
    twin.parameters.set('/tunnel-warden/mode', 'enabled');
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/tunnel-warden/mode' }));
    expect(Parameter).toEqual({
      Name: '/tunnel-warden/mode',
      Type: 'String',
      Value: 'enabled',
      Version: 1,
      LastModifiedDate: NOW,
      ARN: 'arn:aws:ssm:us-east-1:111122223333:parameter/tunnel-warden/mode',
      DataType: 'text',
    });
    expect(twin.calls).toEqual([{ service: 'ssm', action: 'GetParameter', at: NOW.toISOString() }]);
  });

  it('answers a missing parameter with ParameterNotFound, the modelled exception', async () => {
    const error = await rejection(ssm.send(new GetParameterCommand({ Name: '/nope' })));
    expect(error).toBeInstanceOf(ParameterNotFound);
    expect(error).toMatchObject({
      name: 'ParameterNotFound',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('creates, refuses to clobber, overwrites and deletes', async () => {
    const name = '/tunnel-warden/mode';
    expect(
      await ssm.send(new PutParameterCommand({ Name: name, Value: 'dry-run', Type: 'String' })),
    ).toMatchObject({
      Version: 1,
      Tier: 'Standard',
    });
    const clash = await rejection(ssm.send(new PutParameterCommand({ Name: name, Value: 'enabled' })));
    expect(clash).toBeInstanceOf(ParameterAlreadyExists);
    expect(twin.parameters.get(name)).toBe('dry-run');

    const overwrite = await ssm.send(
      new PutParameterCommand({ Name: name, Value: 'enabled', Overwrite: true }),
    );
    expect(overwrite.Version).toBe(2);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name }));
    expect(Parameter).toMatchObject({ Value: 'enabled', Version: 2 });

    await ssm.send(new DeleteParameterCommand({ Name: name }));
    expect(twin.parameters.has(name)).toBe(false);
    expect(await rejection(ssm.send(new DeleteParameterCommand({ Name: name })))).toBeInstanceOf(
      ParameterNotFound,
    );
  });

  it('names an operation it does not implement', async () => {
    const response = await fetch(twin.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AmazonSSM.GetParametersByPath',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      __type: 'UnknownOperationException',
      message: expect.stringContaining('GetParametersByPath'),
    });
  });

  it('drives SsmModeReader: the parameter when it exists, the config mode when it does not', async () => {
    twin.parameters.set('/tunnel-warden/mode', 'disabled');
    expect(await new SsmModeReader(ssm, '/tunnel-warden/mode', 'enabled').read(NOW)).toEqual({
      mode: 'disabled',
      source: 'parameter',
    });
    expect(await new SsmModeReader(ssm, '/tunnel-warden/absent', 'enabled').read(NOW)).toEqual({
      mode: 'enabled',
      source: 'config',
      detail: 'parameter /tunnel-warden/absent does not exist',
    });
  });
});

describe('EventBridge', () => {
  it('accepts entries, returns their ids and hands them to onPutEvents with the detail parsed', async () => {
    const output = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'test', DetailType: 'One', Detail: '{"n":1}', Resources: ['arn:aws:ec2:x'] },
          {
            Source: 'test',
            DetailType: 'Two',
            Detail: '{"n":2}',
            EventBusName: 'arn:aws:events:us-east-1:111122223333:event-bus/incidents',
            Time: new Date('2025-03-01T11:00:00.000Z'),
          },
        ],
      }),
    );
    expect(output.FailedEntryCount).toBe(0);
    expect(delivered).toHaveLength(1);
    const [one, two] = delivered[0] ?? [];
    expect(output.Entries).toEqual([{ EventId: one?.id }, { EventId: two?.id }]);
    expect(one).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: 'test',
      detailType: 'One',
      detail: { n: 1 },
      resources: ['arn:aws:ec2:x'],
      time: NOW.toISOString(),
      eventBusName: 'default',
      account: '111122223333',
      region: 'us-east-1',
    });
    expect(two).toMatchObject({ eventBusName: 'incidents', time: '2025-03-01T11:00:00.000Z', resources: [] });
  });

  it('fails a malformed entry alone, like AWS: HTTP 200, FailedEntryCount 1, the good one delivered', async () => {
    const output = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'test', DetailType: 'Good', Detail: '{}' },
          { Source: 'test', DetailType: 'Bad', Detail: '{not json' },
          { Source: 'test', DetailType: 'Array', Detail: '[1]' },
          { DetailType: 'No source', Detail: '{}' },
        ],
      }),
    );
    expect(output.FailedEntryCount).toBe(3);
    expect(output.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(output.Entries?.slice(1)).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('Source') },
    ]);
    expect(delivered.flat().map((e) => e.detailType)).toEqual(['Good']);
  });

  it('refuses a request over 256 KB whole, as AWS does', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(256 * 1024) });
    const error = await rejection(
      eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: big }] })),
    );
    expect(error).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('over the limit'),
    });
    expect(delivered).toEqual([]);
  });
});

describe('SNS', () => {
  it('records a Publish with its subject, message and attributes', async () => {
    const output = await sns.send(
      new PublishCommand({
        TopicArn: TOPIC,
        Subject: 'VPN down & out <seoul>',
        Message: 'line one\nline "two" + 100%',
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: 'critical' },
          kind: { DataType: 'String', StringValue: 'connection-down' },
        },
      }),
    );
    expect(twin.snsMessages).toEqual([
      {
        topicArn: TOPIC,
        subject: 'VPN down & out <seoul>',
        message: 'line one\nline "two" + 100%',
        attributes: { severity: 'critical', kind: 'connection-down' },
        messageId: output.MessageId,
        at: NOW.toISOString(),
      },
    ]);
    expect(output.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(twin.calls).toEqual([{ service: 'sns', action: 'Publish', at: NOW.toISOString() }]);
  });

  it('answers a subject over 100 characters with InvalidParameter, as an SDK exception', async () => {
    const error = await rejection(
      sns.send(new PublishCommand({ TopicArn: TOPIC, Subject: 's'.repeat(101), Message: 'm' })),
    );
    // The wire code is InvalidParameter; the SDK maps it (awsQueryError trait) to its modelled class.
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error).toMatchObject({
      name: 'InvalidParameterException',
      Error: { Code: 'InvalidParameter', Type: 'Sender' },
      message: 'Invalid parameter: Subject',
      $metadata: { httpStatusCode: 400 },
    });
    expect(twin.snsMessages).toEqual([]);
  });
});

describe('anything else', () => {
  it('answers 400 naming what it did not understand', async () => {
    const target = await fetch(twin.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: '{}',
    });
    expect(target.status).toBe(400);
    expect(await target.text()).toContain('DynamoDB_20120810.GetItem');

    const query = await fetch(twin.endpoint, {
      method: 'POST',
      body: 'Action=DescribeVpnConnections&Version=2016-11-15',
    });
    expect(query.status).toBe(400);
    expect(await query.text()).toContain('Action=DescribeVpnConnections');

    const get = await fetch(`${twin.endpoint}/health`);
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('GET /health');
    expect(twin.calls).toEqual([]);
  });
});

describe('AwsIncidentPublisher against the twin', () => {
  it('puts one tunnel-warden event on the bus and pages once', async () => {
    const e = event('opened');
    await new AwsIncidentPublisher({
      eventBridge,
      sns,
      busName: 'tunnel-warden-incidents',
      topicArn: TOPIC,
    }).publish(e);

    const entries = delivered.flat();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      source: 'tunnel-warden',
      detailType: 'Incident Opened',
      eventBusName: 'tunnel-warden-incidents',
      time: '2025-03-01T12:00:01.000Z',
      detail: JSON.parse(incidentEventEntry(e, 'tunnel-warden-incidents').Detail ?? 'null'),
    });
    const { subject, message } = snsMessage(e);
    expect(twin.snsMessages).toHaveLength(1);
    expect(twin.snsMessages[0]).toMatchObject({
      topicArn: TOPIC,
      subject,
      message,
      attributes: { severity: 'major', kind: 'connection-down' },
    });
  });
});
