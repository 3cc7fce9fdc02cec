import { parseScheduleEvent } from '../lib/events/parse.js';
import { signalHandler } from '../lib/runtime/handler.js';
import { sweepMaintenance } from '../lib/runtime/maintenance.js';

export const handler = signalHandler(
  (event) => parseScheduleEvent(event, 'maintenance-sweep'),
  sweepMaintenance,
);
