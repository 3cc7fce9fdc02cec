import { parseNetworkManagerEvent } from '../lib/events/parse.js';
import { signalHandler } from '../lib/runtime/handler.js';
import { remediateSignal } from '../lib/runtime/remediation.js';
import { runtimeConfig } from '../lib/runtime/settings.js';

export const handler = signalHandler(
  (event, invocation) => parseNetworkManagerEvent(event, invocation, runtimeConfig().networkManager),
  remediateSignal,
);
