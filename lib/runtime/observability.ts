import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { redactJsonValue } from '../incidents/redact.js';

/**
 * One logger and one metrics sink per process, as Powertools intends. Neither ever receives a raw
 * event or a raw DescribeVpnConnections response: only Signals, Plans and redacted snapshots. Still,
 * an alarm reason, a Health description or an SDK error message is text someone else wrote, so every
 * line goes through the same redactor as stored and published data: Powertools calls the replacer on
 * every key and value as it serialises the line (Errors are formatted after it, and their message and
 * stack then pass through it too).
 */
export const logger = new Logger({ serviceName: 'tunnel-warden', jsonReplacerFn: redactJsonValue });
// Metrics' own warnings (an invocation that emitted none) go through the logger, so its level applies.
export const metrics = new Metrics({ namespace: 'TunnelWarden', serviceName: 'tunnel-warden', logger });
