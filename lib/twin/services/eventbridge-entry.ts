/**
 * One PutEvents entry: its validation (per entry, as AWS does it), its size, and the BusEntry it becomes.
 */
import { isJsonObject, type JsonObject, newId, stringField, TWIN_ACCOUNT } from './http.js';

/** An event as it went onto the bus: what rules match and targets receive. */
export interface BusEntry {
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  /** The Detail string, parsed. */
  readonly detail: unknown;
  readonly resources: string[];
  /** ISO 8601: the entry's Time, else the twin's now. */
  readonly time: string;
  readonly eventBusName: string;
  readonly account: string;
  readonly region: string;
}

/** Why AWS refused one entry; the rest of the request still goes through. */
export interface EntryError {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

export interface EntryContext {
  readonly now: () => Date;
  readonly region: string;
}

export function toBusEntry(entry: JsonObject, ctx: EntryContext): BusEntry | EntryError {
  const source = stringField(entry, 'Source');
  if (source === undefined || source === '') return invalid('Source', 'Source is a required argument.');
  const detailType = stringField(entry, 'DetailType');
  if (detailType === undefined || detailType === '') {
    return invalid('DetailType', 'DetailType is a required argument.');
  }
  const detailText = stringField(entry, 'Detail');
  if (detailText === undefined || detailText === '') {
    return invalid('Detail', 'Detail is a required argument.');
  }
  const detail = parseDetail(detailText);
  if (detail === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  if (!resources.every((r): r is string => typeof r === 'string')) {
    return invalid('Resources', 'Resources must be strings.');
  }
  return {
    id: newId(),
    source,
    detailType,
    detail,
    resources,
    time: entryTime(entry.Time) ?? ctx.now().toISOString(),
    eventBusName: busName(stringField(entry, 'EventBusName')),
    account: TWIN_ACCOUNT,
    region: ctx.region,
  };
}

export function invalid(parameter: string, reason: string): EntryError {
  return {
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
  };
}

/** Detail must be a JSON object: arrays, scalars and broken JSON are all MalformedDetail on AWS. */
function parseDetail(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The SDK sends Time as epoch seconds (awsJson's default timestamp format); accept ISO strings too. */
function entryTime(value: unknown): string | undefined {
  const date =
    typeof value === 'number'
      ? new Date(value * 1000)
      : typeof value === 'string'
        ? new Date(value)
        : undefined;
  return date === undefined || Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A bus named by ARN (`arn:aws:events:…:event-bus/<name>`) or by name; absent means `default`. */
function busName(value: string | undefined): string {
  if (value === undefined || value === '') return 'default';
  return value.startsWith('arn:') ? (value.split('/').at(-1) ?? value) : value;
}

/** https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html */
export function entrySize(entry: JsonObject): number {
  const bytes = (key: string) => Buffer.byteLength(stringField(entry, key) ?? '', 'utf8');
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  const resourceBytes = resources.reduce<number>(
    (sum, r) => sum + (typeof r === 'string' ? Buffer.byteLength(r, 'utf8') : 0),
    0,
  );
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes('Source') +
    bytes('DetailType') +
    bytes('Detail') +
    resourceBytes
  );
}
