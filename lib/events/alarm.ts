import { z } from 'zod';
import { AwsTimestampSchema, envelopeWith, IpAddressSchema, VpnIdSchema } from './common.js';
import { parseInsightsQuery } from './insights-query.js';
import { checkJsonTextBounds, EVENT_LIMITS } from './limits.js';

const AlarmStateValueSchema = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/**
 * CloudWatch sends `reasonData` as a JSON *string*; parse it a second time, once its length and depth
 * are known to be within bounds (the event's own bounds cannot see inside a string).
 */
const ReasonDataSchema = z.string().transform((text, ctx) => {
  const tooBig = checkJsonTextBounds(text, {
    maxChars: EVENT_LIMITS.maxReasonDataChars,
    maxDepth: EVENT_LIMITS.maxDepth,
  });
  if (tooBig !== undefined) {
    ctx.addIssue({ code: 'custom', message: tooBig });
    return z.NEVER;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through to the issue below
  }
  ctx.addIssue({ code: 'custom', message: 'expected a JSON object encoded as a string' });
  return z.NEVER;
});

const AlarmStateSchema = z.object({
  value: AlarmStateValueSchema,
  reason: z.string(),
  reasonData: ReasonDataSchema.optional(),
  timestamp: AwsTimestampSchema,
});

const MetricStatSchema = z.object({
  metric: z.object({
    namespace: z.string(),
    name: z.string(),
    dimensions: z.record(z.string(), z.string()).default({}),
  }),
  period: z.number(),
  stat: z.string(),
});

export const VPN_NAMESPACE = 'AWS/VPN';
export const TUNNEL_STATE_METRIC = 'TunnelState';

/** The dimensions of one AWS/VPN TunnelState series: they say where to look, so they must be usable. */
const VpnDimensionsSchema = z
  .object({ VpnId: VpnIdSchema.optional(), TunnelIpAddress: IpAddressSchema.optional() })
  .refine((d) => d.VpnId !== undefined || d.TunnelIpAddress !== undefined, {
    message: 'an AWS/VPN TunnelState series must have a VpnId or TunnelIpAddress dimension',
  });

/** True when a Metrics Insights query (an `expression` of a metric entry) selects AWS/VPN TunnelState. */
export function isTunnelStateQuery(expression: string): boolean {
  const query = parseInsightsQuery(expression);
  return query?.namespace === VPN_NAMESPACE && query.metric === TUNNEL_STATE_METRIC;
}

const AlarmMetricSchema = z
  .object({
    id: z.string(),
    returnData: z.boolean().optional(),
    metricStat: MetricStatSchema.optional(),
    expression: z.string().optional(),
    label: z.string().optional(),
    /** Metrics Insights entries carry their period here rather than in a metricStat. */
    period: z.number().optional(),
  })
  .superRefine((metric, ctx) => {
    const watched = metric.metricStat?.metric;
    if (watched?.namespace !== VPN_NAMESPACE || watched.name !== TUNNEL_STATE_METRIC) return;
    const result = VpnDimensionsSchema.safeParse(watched.dimensions);
    for (const issue of result.error?.issues ?? []) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: ['metricStat', 'metric', 'dimensions', ...issue.path],
      });
    }
  });
export type AlarmMetric = z.infer<typeof AlarmMetricSchema>;

/**
 * One time series of a Metrics Insights alarm (`CloudWatch Alarm Contributor State Change`): its
 * `attributes` are the GROUP BY dimension values, so they say which VPN or tunnel it is.
 */
const AlarmContributorSchema = z.object({
  id: z.string().min(1),
  attributes: z.record(z.string(), z.string()).default({}),
});

/** An alarm mute rule silences the alarm's actions, not its events: recorded, decided as usual. */
const MuteDetailSchema = z.looseObject({ mutedByArn: z.string().optional() });

export const AlarmDetailSchema = z
  .object({
    alarmName: z.string().min(1),
    configuration: z.object({
      description: z.string().optional(),
      // Composite alarms have no metrics; they are never about one VPN and are ignored.
      metrics: z.array(AlarmMetricSchema).default([]),
    }),
    alarmContributor: AlarmContributorSchema.optional(),
    muteDetail: MuteDetailSchema.optional(),
    state: AlarmStateSchema,
    // A contributor's event has no previous state (a contributor is only ever ALARM or OK).
    previousState: AlarmStateSchema.partial({ timestamp: true }).optional(),
  })
  .superRefine((detail, ctx) => {
    if (detail.alarmContributor === undefined) return;
    const result = VpnDimensionsSchema.safeParse(detail.alarmContributor.attributes);
    for (const issue of result.error?.issues ?? []) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: ['alarmContributor', 'attributes', ...issue.path],
      });
    }
  });
export type AlarmDetail = z.infer<typeof AlarmDetailSchema>;

export const AlarmEventSchema = envelopeWith(AlarmDetailSchema);
export type AlarmEvent = z.infer<typeof AlarmEventSchema>;

/**
 * What CloudWatch sends when a Lambda function is the alarm's action: no EventBridge envelope, the
 * alarm's ARN, account and Region at the top, the same detail under `alarmData`.
 */
export const AlarmActionPayloadSchema = z.object({
  source: z.literal('aws.cloudwatch'),
  alarmArn: z.string().startsWith('arn:', 'expected an alarm ARN'),
  accountId: z.string().min(1),
  time: AwsTimestampSchema,
  region: z.string().min(1),
  alarmData: AlarmDetailSchema,
});
export type AlarmActionPayload = z.infer<typeof AlarmActionPayloadSchema>;
