import { parseHealthEvent } from '../lib/events/parse.js';
import { signalHandler } from '../lib/runtime/handler.js';
import { remediateThenCheckMaintenance } from '../lib/runtime/health-maintenance.js';

export const handler = signalHandler(parseHealthEvent, remediateThenCheckMaintenance);
