import { z } from 'zod';
import { AwsTimestampSchema, envelopeWith, IpAddressSchema, VpnIdSchema } from './common.js';
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
    message: 'an AWS/VPN TunnelState metric must have a VpnId or TunnelIpAddress dimension',
  });

const AlarmMetricSchema = z
  .object({
    id: z.string(),
    returnData: z.boolean().optional(),
    metricStat: MetricStatSchema.optional(),
    expression: z.string().optional(),
    label: z.string().optional(),
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

export const AlarmDetailSchema = z.object({
  alarmName: z.string().min(1),
  configuration: z.object({
    description: z.string().optional(),
    // Composite alarms have no metrics; they are never about one VPN and are ignored.
    metrics: z.array(AlarmMetricSchema).default([]),
  }),
  state: AlarmStateSchema,
  previousState: AlarmStateSchema.partial({ timestamp: true }),
});

export const AlarmEventSchema = envelopeWith(AlarmDetailSchema);
export type AlarmEvent = z.infer<typeof AlarmEventSchema>;
