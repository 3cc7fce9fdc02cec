import { z } from 'zod';
import { AwsTimestampSchema, envelopeWith } from './common.js';

export const VPN_HEALTH_SERVICE = 'VPN';

/** Per-entity fields differ between samples (`status`/`statusCode`, `lastupdatedTime`/`lastUpdatedTime`): keep only what we read. */
const AffectedEntitySchema = z.looseObject({ entityValue: z.string().min(1) });

export const HealthDetailSchema = z.object({
  eventArn: z.string().startsWith('arn:', 'expected an AWS Health event ARN'),
  service: z.string().min(1),
  eventTypeCode: z.string().min(1),
  eventTypeCategory: z.string().min(1),
  eventScopeCode: z.string().optional(),
  communicationId: z.string().optional(),
  eventRegion: z.string().optional(),
  startTime: AwsTimestampSchema.optional(),
  endTime: AwsTimestampSchema.optional(),
  lastUpdatedTime: AwsTimestampSchema.optional(),
  statusCode: z.string().default('open'),
  eventDescription: z.array(z.object({ language: z.string(), latestDescription: z.string() })).default([]),
  affectedEntities: z.array(AffectedEntitySchema).default([]),
});

export const HealthEventSchema = envelopeWith(HealthDetailSchema);
export type HealthEvent = z.infer<typeof HealthEventSchema>;
