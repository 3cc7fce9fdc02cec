import type { z } from 'zod';
import type { ScheduleKind, Signal } from '../domain/signal.js';
import {
  AlarmActionPayloadSchema,
  AlarmEventSchema,
  isTunnelStateQuery,
  TUNNEL_STATE_METRIC,
  VPN_NAMESPACE,
} from './alarm.js';
import { eventIdOf, originOf } from './common.js';
import { DRILL_SOURCE, DrillEventSchema, DrillRequestSchema } from './drill.js';
import { EventParseError } from './errors.js';
import { signalFromAlarm } from './from-alarm.js';
import { signalFromHealth } from './from-health.js';
import { type RegisteredNetwork, signalFromNetwork } from './from-network.js';
import { HealthEventSchema, VPN_HEALTH_SERVICE } from './health.js';
import { checkValueBounds, EVENT_LIMITS } from './limits.js';
import { NETWORK_MANAGER_SOURCE, NetworkEventSchema } from './network-manager.js';
import { ScheduledEventSchema, signalFromSchedule } from './schedule.js';
import { firstIssue } from './zod-issues.js';

export type ParseOutcome =
  | { readonly type: 'signal'; readonly signal: Signal }
  | { readonly type: 'ignored'; readonly reason: string };

/** Strict parse: the first failing field becomes an EventParseError with the zod error as its cause. */
export function parseStrict<S extends z.ZodType>(schema: S, event: unknown, source: string): z.output<S> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  const { path, problem } = firstIssue(result.error);
  throw new EventParseError(
    { eventId: eventIdOf(event), source, fieldPath: path, problem },
    { cause: result.error },
  );
}

/**
 * Refuses an event over the size or depth bounds (limits.ts) before anything else reads it, even to
 * decide whether it is ours: nothing AWS sends comes near them, so one that does is worth a look.
 */
function checkBounds(event: unknown, source: string): void {
  const breach = checkValueBounds(event, {
    maxBytes: EVENT_LIMITS.maxEventBytes,
    maxDepth: EVENT_LIMITS.maxDepth,
  });
  if (breach === undefined) return;
  throw new EventParseError({ eventId: eventIdOf(event), source, ...breach });
}

/** Reads a nested value without trusting the shape, for the relevance checks that run before strict parsing. */
function dig(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** An alarm's metrics: a TunnelState `metricStat`, or a Metrics Insights query of it, makes it ours. */
function watchesTunnelState(detail: unknown): boolean {
  const metrics = dig(detail, 'configuration', 'metrics');
  if (!Array.isArray(metrics)) return false;
  return metrics.some((m) => {
    const expression = dig(m, 'expression');
    if (typeof expression === 'string' && isTunnelStateQuery(expression)) return true;
    return (
      dig(m, 'metricStat', 'metric', 'namespace') === VPN_NAMESPACE &&
      dig(m, 'metricStat', 'metric', 'name') === TUNNEL_STATE_METRIC
    );
  });
}

/** A Lambda alarm action has no envelope: `alarmData` and `alarmArn` at the top instead of `detail`. */
function isAlarmActionPayload(event: unknown): boolean {
  return dig(event, 'alarmData') !== undefined && dig(event, 'detail') === undefined;
}

/**
 * An alarm state change, from EventBridge or as a Lambda alarm action's payload. Alarms that do not
 * watch AWS/VPN TunnelState are ignored before strict parsing, so a differently shaped alarm for
 * something else (a composite alarm, an EC2 alarm) is never an error.
 */
export function parseAlarmEvent(event: unknown, invocation?: InvocationContext): ParseOutcome {
  checkBounds(event, 'aws.cloudwatch');
  const action = isAlarmActionPayload(event);
  if (!watchesTunnelState(dig(event, action ? 'alarmData' : 'detail'))) {
    const what = action
      ? `alarm action for ${String(dig(event, 'alarmArn'))}`
      : `alarm event ${eventIdOf(event)}`;
    return { type: 'ignored', reason: `${what} does not watch ${VPN_NAMESPACE} ${TUNNEL_STATE_METRIC}` };
  }
  if (action) {
    const payload = parseStrict(AlarmActionPayloadSchema, event, 'aws.cloudwatch alarm action');
    return signalFromAlarm({
      origin: {
        source: payload.source,
        detailType: ALARM_ACTION_DETAIL_TYPE,
        // Lambda keeps the request id across its retries of one asynchronous invocation.
        eventId: invocation?.requestId ?? `${payload.alarmArn}@${payload.alarmData.state.timestamp}`,
        account: payload.accountId,
        region: payload.region,
      },
      alarmArn: payload.alarmArn,
      detail: payload.alarmData,
    });
  }
  const parsed = parseStrict(AlarmEventSchema, event, 'aws.cloudwatch');
  return signalFromAlarm({
    origin: {
      source: parsed.source,
      detailType: parsed['detail-type'],
      eventId: parsed.id,
      account: parsed.account,
      region: parsed.region,
    },
    alarmArn: parsed.resources[0] ?? '',
    detail: parsed.detail,
  });
}

/** The detail type recorded for a state change CloudWatch delivered by invoking the function. */
export const ALARM_ACTION_DETAIL_TYPE = 'CloudWatch Alarm Action';

export function parseHealthEvent(event: unknown): ParseOutcome {
  checkBounds(event, 'aws.health');
  const service = dig(event, 'detail', 'service');
  if (service !== VPN_HEALTH_SERVICE) {
    return {
      type: 'ignored',
      reason: `AWS Health event ${eventIdOf(event)} is for service ${String(service)}, not VPN`,
    };
  }
  return signalFromHealth(parseStrict(HealthEventSchema, event, 'aws.health'));
}

/**
 * A Network Manager event: a signal only for the global network and transit gateways the configuration
 * registers (`networkManager:`), and only about a VPN connection in this stack's Region.
 */
export function parseNetworkManagerEvent(
  event: unknown,
  invocation: Pick<InvocationContext, 'region'>,
  registered: RegisteredNetwork | undefined,
): ParseOutcome {
  checkBounds(event, NETWORK_MANAGER_SOURCE);
  return signalFromNetwork(
    parseStrict(NetworkEventSchema, event, NETWORK_MANAGER_SOURCE),
    registered,
    invocation.region,
  );
}

export function parseScheduleEvent(event: unknown, kind: ScheduleKind): ParseOutcome {
  checkBounds(event, 'aws.events');
  return {
    type: 'signal',
    signal: signalFromSchedule(parseStrict(ScheduledEventSchema, event, 'aws.events'), kind),
  };
}

/** Where a direct invocation came from: the Lambda context supplies what an envelope would. */
export interface InvocationContext {
  readonly requestId: string;
  readonly account: string;
  readonly region: string;
  readonly now: string;
}

/** A drill arrives either as a `tunnel-warden.drill` event or as the payload of a direct invocation. */
export function parseDrillInput(event: unknown, invocation: InvocationContext): ParseOutcome {
  checkBounds(event, 'drill');
  if (dig(event, 'detail-type') !== undefined) {
    const parsed = parseStrict(DrillEventSchema, event, DRILL_SOURCE);
    return {
      type: 'signal',
      signal: {
        kind: 'drill',
        drill: parsed.detail,
        origin: originOf(parsed, new Date(parsed.time).toISOString()),
      },
    };
  }
  const drill = parseStrict(DrillRequestSchema, event, 'drill invocation');
  return {
    type: 'signal',
    signal: {
      kind: 'drill',
      drill,
      origin: {
        source: 'manual',
        detailType: 'Drill Invocation',
        eventId: invocation.requestId,
        account: invocation.account,
        region: invocation.region,
        occurredAt: invocation.now,
      },
    },
  };
}
