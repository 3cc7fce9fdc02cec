import { z } from 'zod';

/**
 * The TunnelState alarms the stack creates (lib/stack/detection-alarms.ts), under `detection:` in the
 * configuration. The defaults give, per README § Detection: a tunnel or connection down for one full
 * minute is an alarm about 2–3 minutes after it went down (the minute itself, CloudWatch's publishing
 * delay, one evaluation), against 0–5 minutes (mean about 2.5) with the 5-minute sweep alone.
 */
export const TUNNEL_DIMENSION_SETS = ['TunnelIpAddress', 'VpnId+TunnelIpAddress'] as const;

/** CloudWatch evaluates Metrics Insights alarms at standard resolution: a period of whole minutes. */
const PeriodSchema = z
  .number()
  .int()
  .refine((s) => s >= 60 && s <= 3600 && s % 60 === 0, {
    message:
      'expected whole minutes in seconds, between 60 and 3600 (Metrics Insights alarms evaluate per minute)',
  });

export const DETECTION_DEFAULTS = {
  insightsAlarms: true,
  tunnelDimensions: 'TunnelIpAddress',
  classicAlarms: false,
  period: 60,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
} as const;

export const DetectionSchema = z
  .strictObject({
    /** Metrics Insights alarms over every VPN of the account and Region, listing none. */
    insightsAlarms: z.boolean().default(DETECTION_DEFAULTS.insightsAlarms),
    /**
     * The dimension set AWS publishes one tunnel's TunnelState under (check with
     * `aws cloudwatch list-metrics --namespace AWS/VPN`): a Metrics Insights SCHEMA matches it exactly.
     */
    tunnelDimensions: z.enum(TUNNEL_DIMENSION_SETS).default(DETECTION_DEFAULTS.tunnelDimensions),
    /** Also one classic alarm per VPN named in `sites` (`Minimum < 1` on its `VpnId` series). */
    classicAlarms: z.boolean().default(DETECTION_DEFAULTS.classicAlarms),
    /** Seconds per datapoint. */
    period: PeriodSchema.default(DETECTION_DEFAULTS.period),
    evaluationPeriods: z.number().int().min(1).max(60).default(DETECTION_DEFAULTS.evaluationPeriods),
    datapointsToAlarm: z.number().int().min(1).max(60).default(DETECTION_DEFAULTS.datapointsToAlarm),
  })
  .refine((d) => d.datapointsToAlarm <= d.evaluationPeriods, {
    message: 'datapointsToAlarm must not exceed evaluationPeriods (CloudWatch refuses the alarm)',
    path: ['datapointsToAlarm'],
  });
export type DetectionConfig = z.infer<typeof DetectionSchema>;
