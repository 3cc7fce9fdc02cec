import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventBridgeClient, snsClient } from '../../lib/aws/clients.js';
import { PublishError } from '../../lib/incidents/errors.js';
import { snsMessage } from '../../lib/incidents/message.js';
import type { IncidentEvent } from '../../lib/incidents/ports.js';
import { AwsIncidentPublisher, RecordingPublisher } from '../../lib/incidents/publisher.js';
import { incidentEventEntry } from '../../lib/incidents/schema.js';
import { event, ID, leakyEvent, SECRET } from './publish-fixtures.js';

const BUS = 'tunnel-warden-incidents';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:tunnel-warden';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' };

const eventBridge = new EventBridgeClient({ region: 'us-east-1', credentials });
const sns = new SNSClient({ region: 'us-east-1', credentials });
const ebMock = mockClient(eventBridge);
const snsMock = mockClient(sns);

const publisher = (topicArn: string | undefined) =>
  new AwsIncidentPublisher({ eventBridge, sns, busName: BUS, topicArn });

const resolvedEvent = () =>
  event('resolved', {
    status: 'resolved',
    severity: 'info',
    mitigatedAt: '2025-03-01T12:01:00.000Z',
    resolvedAt: '2025-03-01T12:10:00.000Z',
  });

beforeEach(() => {
  ebMock.reset();
  snsMock.reset();
  ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-1' }] });
  snsMock.on(PublishCommand).resolves({ MessageId: 'msg-1' });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('AwsIncidentPublisher', () => {
  it('puts exactly one entry, then publishes the message with its attributes', async () => {
    const e = event('opened');
    await publisher(TOPIC).publish(e);

    const puts = ebMock.commandCalls(PutEventsCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.args[0].input).toEqual({ Entries: [incidentEventEntry(e, BUS)] });
    expect(puts[0]!.args[0].input.Entries?.[0]).toMatchObject({
      EventBusName: BUS,
      Source: 'tunnel-warden',
      DetailType: 'Incident Opened',
      Resources: [],
      Time: new Date('2025-03-01T12:00:01.000Z'),
    });

    const pages = snsMock.commandCalls(PublishCommand);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.args[0].input).toEqual({
      TopicArn: TOPIC,
      ...(({ subject, message }) => ({ Subject: subject, Message: message }))(snsMessage(e)),
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'major' },
        kind: { DataType: 'String', StringValue: 'connection-down' },
      },
    });
  });

  it.each<[string, IncidentEvent, boolean]>([
    ['opened', event('opened'), true],
    ['reopened', event('reopened', { reopenCount: 1 }), true],
    ['resolved', resolvedEvent(), true],
    ['a major update', event('updated'), false],
    ['a critical update', event('updated', { severity: 'critical', peakSeverity: 'critical' }), true],
  ])('pages for %s: %s', async (_, e, pages) => {
    await publisher(TOPIC).publish(e);
    expect(ebMock.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(pages ? 1 : 0);
  });

  it('sends the peak severity as the attribute of a resolve', async () => {
    await publisher(TOPIC).publish(resolvedEvent());
    expect(snsMock.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'major' },
      kind: { DataType: 'String', StringValue: 'connection-down' },
    });
  });

  it('publishes events only when no topic is configured', async () => {
    await publisher(undefined).publish(event('opened'));
    expect(ebMock.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('turns a rejected entry into a PublishError with its codes, and pages nobody', async () => {
    ebMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    const error = await publisher(TOPIC)
      .publish(event('opened'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).codes).toEqual(['InternalFailure']);
    expect((error as PublishError).message).toContain(`${ID}#v1`);
    expect((error as PublishError).message).toContain('InternalFailure: try again');
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('fails on FailedEntryCount even without per-entry codes', async () => {
    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{}] });
    await expect(publisher(TOPIC).publish(event('opened'))).rejects.toMatchObject({
      name: 'PublishError',
      codes: ['Unknown'],
    });
  });

  it('wraps SDK failures of either call, keeping the AWS error name as the code', async () => {
    const notFound = Object.assign(new Error('Event bus tunnel-warden-incidents does not exist.'), {
      name: 'ResourceNotFoundException',
    });
    ebMock.on(PutEventsCommand).rejects(notFound);
    await expect(publisher(TOPIC).publish(event('opened'))).rejects.toMatchObject({
      name: 'PublishError',
      codes: ['ResourceNotFoundException'],
      cause: notFound,
    });

    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));
    await expect(publisher(TOPIC).publish(event('opened'))).rejects.toMatchObject({
      codes: ['AuthorizationErrorException'],
    });
  });

  it('never sends a pre-shared key to EventBridge or SNS', async () => {
    await publisher(TOPIC).publish(leakyEvent());
    const detail = ebMock.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries?.[0]?.Detail ?? '';
    const page = snsMock.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(detail).toContain('[redacted]');
    expect(detail).not.toContain(SECRET);
    expect(JSON.stringify(page)).not.toContain(SECRET);
  });
});

describe('AwsIncidentPublisher, one channel at a time', () => {
  it('names the channels of a change: SNS only for a change that pages people, and only with a topic', () => {
    expect(publisher(TOPIC).channelsFor(event('opened'))).toEqual(['eventbridge', 'sns']);
    expect(publisher(TOPIC).channelsFor(event('updated'))).toEqual(['eventbridge']);
    expect(publisher(undefined).channelsFor(event('opened'))).toEqual(['eventbridge']);
  });

  it('pages a record that opened and resolved at once (a notice) once, for its opening', () => {
    const at = '2025-03-01T12:00:00.000Z';
    const notice = { status: 'resolved' as const, severity: 'info' as const, detectedAt: at, resolvedAt: at };
    expect(publisher(TOPIC).channelsFor(event('opened', notice))).toEqual(['eventbridge', 'sns']);
    expect(publisher(TOPIC).channelsFor(event('resolved', notice))).toEqual(['eventbridge']);
    // An outage that resolved later still pages its resolution.
    expect(publisher(TOPIC).channelsFor(resolvedEvent())).toEqual(['eventbridge', 'sns']);
  });

  it('delivers a page without touching EventBridge, and an event without touching SNS', async () => {
    await publisher(TOPIC).deliver(event('opened'), 'sns');
    expect(ebMock.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
    await publisher(TOPIC).deliver(event('opened'), 'eventbridge');
    expect(ebMock.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('fails a page alone, naming the change, and an event alone', async () => {
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error('key disabled'), { name: 'KMSDisabledException' }));
    await expect(publisher(TOPIC).deliver(event('opened'), 'sns')).rejects.toMatchObject({
      name: 'PublishError',
      codes: ['KMSDisabledException'],
      message: `SNS Publish for ${ID}#v1#opened failed: key disabled`,
    });
    await publisher(TOPIC).deliver(event('opened'), 'eventbridge');
    expect(ebMock.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('treats a page still owed after the topic was removed as nothing to do', async () => {
    await publisher(undefined).deliver(event('opened'), 'sns');
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('RecordingPublisher', () => {
  it('keeps every event in order, and the pages apart', async () => {
    const recording = new RecordingPublisher();
    const first = event('opened');
    const update = event('updated');
    const second = resolvedEvent();
    await recording.publish(first);
    await recording.publish(update);
    await recording.publish(second);
    expect(recording.events).toEqual([first, update, second]);
    expect(recording.pages).toEqual([first, second]);
  });
});

describe('notification clients', () => {
  async function endpointOf(client: EventBridgeClient | SNSClient): Promise<string | undefined> {
    const endpoint = await client.config.endpoint?.();
    return endpoint === undefined ? undefined : `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`;
  }

  it('retry adaptively with 8 attempts in us-east-1 by default', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL', '');
    vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', undefined);
    for (const client of [eventBridgeClient(), snsClient()]) {
      expect(await client.config.retryStrategy()).toHaveProperty('mode', 'adaptive');
      expect(await client.config.maxAttempts()).toBe(8);
      expect(await client.config.region()).toBe('us-east-1');
      expect(await endpointOf(client)).toBeUndefined();
    }
  });

  it('take the service endpoint first, then AWS_ENDPOINT_URL, and AWS_REGION', async () => {
    vi.stubEnv('AWS_REGION', 'ap-northeast-2');
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://all.env:4566');
    vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', 'http://events.env:4566');
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', 'http://sns.env:4566');
    expect(await endpointOf(eventBridgeClient())).toBe('http://events.env:4566');
    expect(await endpointOf(snsClient())).toBe('http://sns.env:4566');
    expect(await snsClient().config.region()).toBe('ap-northeast-2');
    vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', '');
    vi.stubEnv('AWS_ENDPOINT_URL_SNS', undefined);
    expect(await endpointOf(eventBridgeClient())).toBe('http://all.env:4566');
    expect(await endpointOf(snsClient())).toBe('http://all.env:4566');
  });
});
