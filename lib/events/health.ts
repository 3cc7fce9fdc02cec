import { z } from 'zod';
import { AwsTimestampSchema, blankAsAbsent, envelopeWith } from './common.js';

export const VPN_HEALTH_SERVICE = 'VPN';

/** Per-entity fields differ between samples (`status`/`statusCode`, `lastupdatedTime`/`lastUpdatedTime`): keep only what we read. */
const AffectedEntitySchema = z.looseObject({ entityValue: z.string().min(1) });

const PageNumberSchema = z
  .union([z.number(), z.string().regex(/^\d+$/, 'expected a page number')])
  .transform(Number);

export const HealthDetailSchema = z.object({
  eventArn: z.string().startsWith('arn:', 'expected an AWS Health event ARN'),
  service: z.string().min(1),
  eventTypeCode: z.string().min(1),
  eventTypeCategory: z.string().min(1),
  // AWS sends optional fields empty (`"endTime": ""` while an event is open): empty is absent.
  eventScopeCode: blankAsAbsent(z.string()),
  communicationId: blankAsAbsent(z.string()),
  eventRegion: blankAsAbsent(z.string()),
  startTime: blankAsAbsent(AwsTimestampSchema),
  endTime: blankAsAbsent(AwsTimestampSchema),
  lastUpdatedTime: blankAsAbsent(AwsTimestampSchema),
  /** Organizational view: the member account that owns the affected resources. */
  affectedAccount: blankAsAbsent(z.string()),
  // Pages are numbers written as strings ("1"); a long event is several deliveries, one per page.
  page: blankAsAbsent(PageNumberSchema),
  totalPages: blankAsAbsent(PageNumberSchema),
  statusCode: z.string().default('open'),
  eventDescription: z.array(z.object({ language: z.string(), latestDescription: z.string() })).default([]),
  affectedEntities: z.array(AffectedEntitySchema).default([]),
});

export const HealthEventSchema = envelopeWith(HealthDetailSchema);
export type HealthEvent = z.infer<typeof HealthEventSchema>;
