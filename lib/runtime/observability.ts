import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics sink per process, as Powertools intends. Neither ever receives a raw
 * event or a raw DescribeVpnConnections response: only Signals, Plans and redacted snapshots.
 */
export const logger = new Logger({ serviceName: 'tunnel-warden' });
// Metrics' own warnings (an invocation that emitted none) go through the logger, so its level applies.
export const metrics = new Metrics({ namespace: 'TunnelWarden', serviceName: 'tunnel-warden', logger });
