import { parseHealthEvent } from '../lib/events/parse.js';
import { signalHandler } from '../lib/runtime/handler.js';
import { remediateSignal } from '../lib/runtime/remediation.js';

export const handler = signalHandler(parseHealthEvent, remediateSignal);
