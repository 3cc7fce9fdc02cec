import { z } from 'zod';
import { envelopeWith } from './common.js';
import type { Signal } from './signal.js';

export const ScheduledEventSchema = envelopeWith(z.record(z.string(), z.unknown())).extend({
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
});
export type ScheduledEvent = z.infer<typeof ScheduledEventSchema>;

export function signalFromSchedule(event: ScheduledEvent, kind: 'sweep' | 'keepalive'): Signal {
  return {
    kind,
    schedule: event.resources[0] ?? '',
    origin: {
      source: event.source,
      detailType: event['detail-type'],
      eventId: event.id,
      account: event.account,
      region: event.region,
      occurredAt: new Date(event.time).toISOString(),
    },
  };
}
