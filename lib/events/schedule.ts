import { z } from 'zod';
import type { ScheduleKind, Signal } from '../domain/signal.js';
import { envelopeWith, originOf } from './common.js';

export const ScheduledEventSchema = envelopeWith(z.record(z.string(), z.unknown())).extend({
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
});
export type ScheduledEvent = z.infer<typeof ScheduledEventSchema>;

export function signalFromSchedule(event: ScheduledEvent, kind: ScheduleKind): Signal {
  return {
    kind,
    schedule: event.resources[0] ?? '',
    origin: originOf(event, new Date(event.time).toISOString()),
  };
}
