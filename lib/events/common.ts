import { isIP } from 'node:net';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import type { SignalOrigin } from '../domain/signal.js';

export const VPN_ID = /^vpn-[0-9a-f]{8,17}$/;

export const VpnIdSchema = z
  .string()
  .regex(VPN_ID, 'expected a VPN connection id like vpn-0123456789abcdef0');

export const IpAddressSchema = z
  .string()
  .refine((value) => isIP(value) !== 0, { message: 'expected an IPv4 or IPv6 address' });

/**
 * A timestamp AWS writes in one of its several formats (ISO 8601, CloudWatch's `+0000` offset,
 * Health's RFC 1123), normalised to ISO 8601 UTC so later code compares strings and numbers only.
 */
export const AwsTimestampSchema = z.string().transform((value, ctx) => {
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) {
    const shown = value.length > 64 ? `${value.slice(0, 64)}…` : value;
    ctx.addIssue({ code: 'custom', message: `expected a timestamp, got "${shown}"` });
    return z.NEVER;
  }
  return new Date(millis).toISOString();
});

/** The EventBridge envelope with a typed detail. */
export function envelopeWith<D extends z.ZodType>(detail: D) {
  return EventBridgeSchema.extend({ detail });
}

/** EventBridge ids are 36-character UUIDs; a longer one is shown cut, so an error stays readable. */
const MAX_SHOWN_ID = 128;

/** Best-effort event id for error messages, read before the envelope is known to be valid. */
export function eventIdOf(event: unknown): string {
  if (typeof event === 'object' && event !== null && 'id' in event && typeof event.id === 'string') {
    const { id } = event;
    return id.length > MAX_SHOWN_ID ? `${id.slice(0, MAX_SHOWN_ID)}… (${id.length} characters)` : id;
  }
  // A Lambda alarm action's payload has no id; its alarm ARN says which alarm sent it.
  if (
    typeof event === 'object' &&
    event !== null &&
    'alarmArn' in event &&
    typeof event.alarmArn === 'string'
  ) {
    return event.alarmArn.slice(0, MAX_SHOWN_ID * 2);
  }
  return '(no id)';
}

/** Where a signal came from, read off its EventBridge envelope; `occurredAt` is the state change's own time. */
export function originOf(
  event: { source: string; 'detail-type': string; id: string; account: string; region: string },
  occurredAt: string,
  dedupeKey?: string,
): SignalOrigin {
  return {
    source: event.source,
    detailType: event['detail-type'],
    eventId: event.id,
    account: event.account,
    region: event.region,
    occurredAt,
    ...(dedupeKey === undefined ? {} : { dedupeKey }),
  };
}

/** An optional text field that AWS sometimes sends as `""` (Health's open events: `"endTime": ""`). */
export function blankAsAbsent<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}
