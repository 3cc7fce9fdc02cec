/** Errors raised while turning a trigger into a Signal. Nothing acts on an event that raised one. */
import { TunnelWardenError } from '../errors.js';

/**
 * An event that does not match its schema. The handler lets it propagate so that EventBridge's
 * retry policy runs and the event lands in the rule's dead-letter queue with this message.
 */
export class EventParseError extends TunnelWardenError {
  public readonly eventId: string;
  /** Dotted path of the first failing field, e.g. `detail.state.value`; empty for the whole event. */
  public readonly fieldPath: string;
  public readonly source: string;

  public constructor(
    args: { eventId: string; source: string; fieldPath: string; problem: string },
    options?: ErrorOptions,
  ) {
    const where = args.fieldPath === '' ? 'the event' : args.fieldPath;
    super(`Invalid ${args.source} event ${args.eventId}: ${where}: ${args.problem}`, options);
    this.eventId = args.eventId;
    this.fieldPath = args.fieldPath;
    this.source = args.source;
  }
}
