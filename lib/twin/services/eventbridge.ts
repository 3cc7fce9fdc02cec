/**
 * EventBridge PutEvents over awsJson1_1 (`X-Amz-Target: AWSEvents.PutEvents`). Like AWS, a bad entry
 * fails alone (HTTP 200, its ErrorCode in the answer, FailedEntryCount counting it) while a bad request
 * (no entries, more than 10, over 256 KB in total) fails whole with a ValidationException.
 */
import { type BusEntry, type EntryError, entrySize, invalid, toBusEntry } from './eventbridge-entry.js';
import { isJsonObject, type JsonObject, jsonError, jsonReply, type Reply } from './http.js';
import { operationIn, unknownOperation } from './operations.js';

export type { BusEntry } from './eventbridge-entry.js';

export interface EventsContext {
  readonly now: () => Date;
  readonly region: string;
  readonly requestId: string;
  /** Called synchronously with the entries that were accepted, before the answer goes out. */
  readonly onPutEvents: (entries: BusEntry[]) => void;
}

export const EVENTS_TARGET_PREFIX = 'AWSEvents.';
export const MAX_ENTRIES = 10;
/** 256 KB, measured the way AWS documents it (see entrySize). */
export const MAX_REQUEST_BYTES = 256 * 1024;

type EntryResult = { readonly EventId: string } | EntryError;

type EventsHandler = (input: JsonObject, ctx: EventsContext) => Reply;

/** The operations the EventBridge twin answers, by name: its registry. */
const EVENTS_OPERATIONS: Readonly<Record<string, EventsHandler>> = { PutEvents: putEvents };

/** The actions the EventBridge twin answers. */
export const EVENTS_ACTIONS: readonly string[] = Object.keys(EVENTS_OPERATIONS);

export function handleEvents(operation: string, input: JsonObject, ctx: EventsContext): Reply {
  const handler = operationIn(EVENTS_OPERATIONS, operation);
  return handler === undefined
    ? unknownOperation('EventBridge', operation, EVENTS_OPERATIONS, ctx.requestId)
    : handler(input, ctx);
}

function putEvents(input: JsonObject, ctx: EventsContext): Reply {
  const entries = Array.isArray(input.Entries) ? input.Entries : [];
  if (entries.length === 0 || entries.length > MAX_ENTRIES) {
    return jsonError(
      400,
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES} (got ${entries.length})`,
      ctx.requestId,
    );
  }
  const total = entries.reduce<number>((sum, e) => sum + (isJsonObject(e) ? entrySize(e) : 0), 0);
  if (total > MAX_REQUEST_BYTES) {
    return jsonError(
      400,
      'ValidationException',
      `Total size of the entries in the request is over the limit (${total} > ${MAX_REQUEST_BYTES} bytes).`,
      ctx.requestId,
    );
  }
  const accepted: BusEntry[] = [];
  const results = entries.map((raw): EntryResult => {
    const outcome = isJsonObject(raw) ? toBusEntry(raw, ctx) : invalid('Entry', 'an entry must be an object');
    if ('ErrorCode' in outcome) return outcome;
    accepted.push(outcome);
    return { EventId: outcome.id };
  });
  if (accepted.length > 0) ctx.onPutEvents(accepted);
  const failed = results.length - accepted.length;
  return jsonReply({ FailedEntryCount: failed, Entries: results }, ctx.requestId);
}
