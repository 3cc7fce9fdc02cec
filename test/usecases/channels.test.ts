import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Condition } from '../../lib/incidents/condition.js';
import type { Observation } from '../../lib/incidents/lifecycle.js';
import { InMemoryIncidentStore } from '../../lib/incidents/memory-store.js';
import type { DeliveryChannel } from '../../lib/incidents/model.js';
import { AwsIncidentPublisher } from '../../lib/incidents/publisher.js';
import { DeliveryIncompleteError } from '../../lib/usecases/errors.js';
import type { DeliveryFailure, RecordDeps } from '../../lib/usecases/ports.js';
import { recordObservation } from '../../lib/usecases/record.js';

/**
 * EventBridge and SNS are delivered and retried apart. The failure the issue reports: an SNS topic
 * whose KMS key was disabled made every run re-send `Incident Opened` to EventBridge, and the
 * `Incident Resolved` event never went out at all.
 */
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' };
const eventBridge = new EventBridgeClient({ region: 'us-east-1', credentials });
const sns = new SNSClient({ region: 'us-east-1', credentials });
const ebMock = mockClient(eventBridge);
const snsMock = mockClient(sns);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:tunnel-warden';

const kmsDisabled = () =>
  Object.assign(new Error('Amazon SNS could not encrypt the message: the KMS key is disabled.'), {
    name: 'KMSDisabledException',
  });
const ebFailure = () => Object.assign(new Error('Service unavailable'), { name: 'InternalException' });

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 10, minute)).toISOString();
const down: Condition = {
  healthy: false,
  kind: 'connection-down',
  severity: 'major',
  summary: 'primary down',
};
const up: Condition = { healthy: true, summary: 'on primary with every tunnel UP' };
const obs = (minute: number, condition: Condition): Observation => ({
  subject: 'seoul-dc',
  eventId: `e-${minute}`,
  condition,
  notice: false,
  observedAt: at(minute),
  mitigated: false,
  entries: [],
});

const detailTypes = () =>
  ebMock
    .commandCalls(PutEventsCommand)
    .flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => e.DetailType));
const pageSubjects = () => snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject ?? '');

let store: InMemoryIncidentStore;
let failures: DeliveryFailure[];
let deps: RecordDeps;

beforeEach(() => {
  ebMock.reset();
  snsMock.reset();
  ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
  store = new InMemoryIncidentStore();
  failures = [];
  deps = {
    store,
    publisher: new AwsIncidentPublisher({ eventBridge, sns, busName: 'default', topicArn: TOPIC }),
    relapseWindowMs: 1_800_000,
    onDeliveryFailure: (f) => failures.push(f),
  };
});

describe('a lasting SNS failure', () => {
  it('still sends Incident Opened exactly once, and later Incident Resolved, to EventBridge', async () => {
    snsMock.on(PublishCommand).rejects(kmsDisabled());
    for (let minute = 1; minute <= 10; minute++) {
      await expect(recordObservation(obs(minute, down), deps)).rejects.toBeInstanceOf(
        DeliveryIncompleteError,
      );
    }
    await expect(recordObservation(obs(11, up), deps)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    expect(detailTypes()).toEqual(['Incident Opened', 'Incident Resolved']);
    // Every run tried the page once and stopped there: the "Resolved" page never overtook "Opened".
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(11);
    expect(new Set(pageSubjects())).toEqual(
      new Set(['[tunnel-warden] MAJOR connection-down opened: seoul-dc']),
    );
    expect(failures.map((f) => f.channel)).toEqual(Array(11).fill('sns'));
    expect((await store.current('seoul-dc'))?.unpublished).toEqual([
      { change: 'opened', version: 1, owed: ['sns'] },
      { change: 'resolved', version: 12, owed: ['sns'] },
    ]);

    // The key is enabled again: the next run sends the two pages, in order, and nothing to EventBridge.
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    await recordObservation(obs(12, up), deps);
    expect(pageSubjects().slice(-2)).toEqual([
      expect.stringContaining('connection-down opened'),
      expect.stringContaining('connection-down resolved'),
    ]);
    expect(detailTypes()).toEqual(['Incident Opened', 'Incident Resolved']);
    expect((await store.current('seoul-dc'))?.unpublished).toBeUndefined();
  });

  it('says what is owed in the error, with the SNS error code', async () => {
    snsMock.on(PublishCommand).rejects(kmsDisabled());
    const error = await recordObservation(obs(1, down), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryIncompleteError);
    expect((error as DeliveryIncompleteError).failures).toMatchObject([
      { channel: 'sns', changeId: 'inc-seoul-dc-20260302T100100Z#v1#opened' },
    ]);
    expect((error as Error).message).toContain('sns inc-seoul-dc-20260302T100100Z#v1#opened');
    expect((error as Error).message).toContain('the KMS key is disabled');
  });
});

describe('a new incident for the subject while SNS is still down', () => {
  it('carries the old incident’s owed pages, so they go out, in order, before the new one’s', async () => {
    snsMock.on(PublishCommand).rejects(kmsDisabled());
    await expect(recordObservation(obs(1, down), deps)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    await expect(recordObservation(obs(5, up), deps)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    // Past the 30-minute relapse window: a new incident takes the subject.
    await expect(recordObservation(obs(50, down), deps)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    expect(detailTypes()).toEqual(['Incident Opened', 'Incident Resolved', 'Incident Opened']);
    const current = await store.current('seoul-dc');
    expect(current?.id).toBe('inc-seoul-dc-20260302T105000Z');
    expect(current?.unpublished).toEqual([
      { change: 'opened', version: 1, owed: ['sns'], incidentId: 'inc-seoul-dc-20260302T100100Z' },
      { change: 'resolved', version: 3, owed: ['sns'], incidentId: 'inc-seoul-dc-20260302T100100Z' },
      { change: 'opened', version: 1, owed: ['sns'] },
    ]);

    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    await recordObservation(obs(51, down), deps);
    const delivered = snsMock
      .commandCalls(PublishCommand)
      .slice(-3)
      .map((c) => c.args[0].input.Message?.split('\n').find((line) => line.startsWith('Incident: ')));
    expect(delivered).toEqual([
      'Incident: inc-seoul-dc-20260302T100100Z',
      'Incident: inc-seoul-dc-20260302T100100Z',
      'Incident: inc-seoul-dc-20260302T105000Z',
    ]);
    expect(pageSubjects().slice(-3)).toEqual([
      '[tunnel-warden] MAJOR connection-down opened: seoul-dc',
      '[tunnel-warden] MAJOR connection-down resolved: seoul-dc',
      '[tunnel-warden] MAJOR connection-down opened: seoul-dc',
    ]);
    expect(detailTypes()).toHaveLength(3);
    expect((await store.current('seoul-dc'))?.unpublished).toBeUndefined();
  });
});

describe('a lasting EventBridge failure', () => {
  it('does not stop the pages, and the events follow, once each, when it recovers', async () => {
    ebMock.on(PutEventsCommand).rejects(ebFailure());
    await expect(recordObservation(obs(1, down), deps)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    await expect(recordObservation(obs(2, up), deps)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    expect(pageSubjects()).toEqual([
      expect.stringContaining('connection-down opened'),
      expect.stringContaining('connection-down resolved'),
    ]);
    expect(failures.map((f): DeliveryChannel => f.channel)).toEqual(['eventbridge', 'eventbridge']);

    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    await recordObservation(obs(3, up), deps);
    expect(detailTypes().slice(-2)).toEqual(['Incident Opened', 'Incident Resolved']);
    expect(pageSubjects()).toHaveLength(2);
  });

  it('counts a rejected entry (HTTP 200 with FailedEntryCount) as a failed delivery too', async () => {
    ebMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(recordObservation(obs(1, down), deps)).rejects.toBeInstanceOf(DeliveryIncompleteError);
    expect(failures.map((f) => f.channel)).toEqual(['eventbridge']);
    expect(pageSubjects()).toHaveLength(1);
  });
});

describe('an outbox stored before channels were tracked', () => {
  it('is owed on both channels', async () => {
    await recordObservation(obs(1, down), deps);
    const stored = await store.current('seoul-dc');
    if (stored === undefined) throw new Error('no incident');
    // As the earlier release left it: saved with the change, never published.
    await store.save({ ...stored, unpublished: [{ change: 'opened', version: 1 }], version: 3 }, 2);
    await recordObservation(obs(2, down), deps);
    expect(detailTypes()).toEqual(['Incident Opened', 'Incident Opened']);
    expect(pageSubjects()).toHaveLength(2);
    expect((await store.current('seoul-dc'))?.unpublished).toBeUndefined();
  });
});
