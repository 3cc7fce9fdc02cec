import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PublishError } from './errors.js';
import { headlineSeverity, snsMessage } from './message.js';
import { changeIdOf, type DeliveryChannel } from './model.js';
import type { IncidentEvent, IncidentPublisher } from './ports.js';
import { redactString } from './redact.js';
import { ROUTE_MOVED_DETAIL_TYPE, type RouteMovedDetail } from './route-moved.js';
import { INCIDENT_SOURCE, incidentEventEntry } from './schema.js';

/** PutEvents takes at most 10 entries per call. */
const PUT_EVENTS_MAX_ENTRIES = 10;

export interface AwsIncidentPublisherDeps {
  readonly eventBridge: EventBridgeClient;
  readonly sns: SNSClient;
  readonly busName: string;
  /** No topic, no pages: the events still go out. */
  readonly topicArn: string | undefined;
}

/**
 * Whether a change pages people. Every change is an event (rules and dashboards want the full story),
 * but an open incident gets an update for every observation that adds a timeline line; paging for each
 * would train people to ignore the pager. So: opened, reopened and resolved always, an update only
 * while the incident is critical. A record that opened and resolved at once (a notice, a drill) pages
 * once, for its opening: one page per event.
 */
export function pagesPeople(event: IncidentEvent): boolean {
  const { incident } = event;
  if (event.change === 'resolved' && incident.resolvedAt === incident.detectedAt) return false;
  return event.change !== 'updated' || incident.severity === 'critical' || event.escalated === true;
}

/** Every channel the publisher uses for the change, the event first: it is the record other systems act on. */
export async function publishEverywhere(publisher: IncidentPublisher, event: IncidentEvent): Promise<void> {
  for (const channel of publisher.channelsFor(event)) await publisher.deliver(event, channel);
}

/** An EventBridge event per change and (for the changes above, when there is a topic) an SNS message. */
export class AwsIncidentPublisher implements IncidentPublisher {
  public constructor(private readonly deps: AwsIncidentPublisherDeps) {}

  public channelsFor(event: IncidentEvent): readonly DeliveryChannel[] {
    return this.deps.topicArn !== undefined && pagesPeople(event) ? ['eventbridge', 'sns'] : ['eventbridge'];
  }

  public async deliver(event: IncidentEvent, channel: DeliveryChannel): Promise<void> {
    if (channel === 'eventbridge') return this.putEvent(event);
    // A page still owed after the topic was removed from the stack has nowhere to go: nothing to do.
    if (this.deps.topicArn !== undefined) await this.page(event, this.deps.topicArn);
  }

  /** Both channels in order, stopping at the first failure (tests and tools; recording delivers per channel). */
  public async publish(event: IncidentEvent): Promise<void> {
    await publishEverywhere(this, event);
  }

  /** One `Route Moved` event per move, 10 per PutEvents; any rejected entry fails the whole delivery. */
  public async deliverMoves(moves: readonly RouteMovedDetail[]): Promise<void> {
    for (let i = 0; i < moves.length; i += PUT_EVENTS_MAX_ENTRIES) {
      const batch = moves.slice(i, i + PUT_EVENTS_MAX_ENTRIES);
      const what = `PutEvents for ${batch.map((m) => m.moveId).join(', ')}`;
      const output = await this.deps.eventBridge
        .send(new PutEventsCommand({ Entries: batch.map((m) => this.moveEntry(m)) }))
        .catch((cause: unknown) => {
          throw sdkFailure(what, cause);
        });
      const failed = (output.Entries ?? []).filter((e) => e.ErrorCode !== undefined);
      if ((output.FailedEntryCount ?? 0) > 0 || failed.length > 0)
        throw new PublishError(`${what} rejected on bus ${this.deps.busName}`, {
          codes: failed.length > 0 ? failed.map((e) => e.ErrorCode ?? 'Unknown') : ['Unknown'],
        });
    }
  }

  /** `Time` is when the route moved, not when it was published. */
  private moveEntry(move: RouteMovedDetail): PutEventsRequestEntry {
    return {
      EventBusName: this.deps.busName,
      Source: INCIDENT_SOURCE,
      DetailType: ROUTE_MOVED_DETAIL_TYPE,
      Detail: JSON.stringify(move),
      Resources: [],
      Time: new Date(move.movedAt),
    };
  }

  private async putEvent(event: IncidentEvent): Promise<void> {
    const entry = incidentEventEntry(event, this.deps.busName);
    const changeId = changeIdOf(
      event.incident.id,
      event.changeVersion ?? event.incident.version,
      event.change,
    );
    const output = await this.deps.eventBridge
      .send(new PutEventsCommand({ Entries: [entry] }))
      .catch((cause: unknown) => {
        throw sdkFailure(`PutEvents for ${changeId}`, cause);
      });
    // PutEvents answers 200 even when it rejected the entry: the failure is only in the body.
    const failed = (output.Entries ?? []).filter((e) => e.ErrorCode !== undefined);
    if ((output.FailedEntryCount ?? 0) > 0 || failed.length > 0) {
      const codes = failed.map((e) => e.ErrorCode ?? 'Unknown');
      const detail = failed.map((e) => `${e.ErrorCode}: ${e.ErrorMessage ?? ''}`.trim()).join('; ');
      throw new PublishError(
        `PutEvents rejected ${changeId} on bus ${this.deps.busName}: ${detail || 'FailedEntryCount > 0'}`,
        { codes: codes.length > 0 ? codes : ['Unknown'] },
      );
    }
  }

  private async page(event: IncidentEvent, topicArn: string): Promise<void> {
    const { subject, message } = snsMessage(event);
    try {
      await this.deps.sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: subject,
          Message: message,
          // For subscription filter policies, e.g. SMS only for critical.
          MessageAttributes: {
            severity: { DataType: 'String', StringValue: headlineSeverity(event) },
            kind: { DataType: 'String', StringValue: event.incident.kind },
          },
        }),
      );
    } catch (cause) {
      // Thrown, not swallowed: the outbox keeps the page owed (and only the page: the event went out
      // on its own channel), and the next run sends it. A page never sent is worse than a late one.
      const changeId = changeIdOf(
        event.incident.id,
        event.changeVersion ?? event.incident.version,
        event.change,
      );
      throw sdkFailure(`SNS Publish for ${changeId}`, cause);
    }
  }
}

/** Keeps what it is given: for tests and the local demo, where nothing leaves the process. */
export class RecordingPublisher implements IncidentPublisher {
  /** What went to EventBridge. */
  public readonly events: IncidentEvent[] = [];
  /** What went to SNS (the changes that page people). */
  public readonly pages: IncidentEvent[] = [];
  /** The Route Moved events. */
  public readonly moves: RouteMovedDetail[] = [];

  public async deliverMoves(moves: readonly RouteMovedDetail[]): Promise<void> {
    this.moves.push(...moves);
  }

  public channelsFor(event: IncidentEvent): readonly DeliveryChannel[] {
    return pagesPeople(event) ? ['eventbridge', 'sns'] : ['eventbridge'];
  }

  public async deliver(event: IncidentEvent, channel: DeliveryChannel): Promise<void> {
    (channel === 'eventbridge' ? this.events : this.pages).push(event);
  }

  public async publish(event: IncidentEvent): Promise<void> {
    await publishEverywhere(this, event);
  }
}

/** The SDK error's name is its AWS error code (ThrottlingException, NotFoundException, …). */
function sdkFailure(what: string, cause: unknown): PublishError {
  const message = cause instanceof Error ? cause.message : String(cause);
  // An SDK message can echo its input back: redact it like everything else that is recorded.
  return new PublishError(`${what} failed: ${redactString(message)}`, {
    codes: [cause instanceof Error ? cause.name : 'Unknown'],
    cause,
  });
}
