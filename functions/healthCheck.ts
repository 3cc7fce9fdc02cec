import { parseScheduleEvent } from '../lib/events/parse.js';
import { acknowledge } from '../lib/runtime/acknowledge.js';
import { signalHandler } from '../lib/runtime/handler.js';

export const handler = signalHandler((event) => parseScheduleEvent(event, 'sweep'), acknowledge);
