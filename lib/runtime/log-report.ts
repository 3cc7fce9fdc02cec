import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RemediationReport } from '../usecases/remediate.js';
import { logger, metrics } from './observability.js';

/** One structured line per site: the decision, the plan and what each action did. */
export function logReport(report: RemediationReport): void {
  logger.info('remediation', {
    signal: report.signal.kind,
    eventId: report.signal.origin.eventId,
    mode: report.mode,
    unmanaged: report.unmanaged,
    unmanagedErrors: report.unmanagedErrors,
  });
  // A dry-run nobody chose: the one line to find in the logs when routes did not move.
  if (report.mode.source === 'fallback')
    logger.error('kill switch unreadable: no route changed', { mode: report.mode });
  for (const outcome of report.sites) {
    if (outcome.status === 'failed') {
      logger.error('site run failed: the invocation will be retried', {
        site: outcome.site,
        error: outcome.error,
      });
      continue;
    }
    if (outcome.status === 'locked') {
      logger.warn('site locked by another invocation: it will converge the site', { site: outcome.site });
      continue;
    }
    const failed = outcome.results.filter((r) => r.outcome === 'failed');
    if (outcome.recordError !== undefined)
      logger.error('recording the site failed', { site: outcome.site, error: outcome.recordError });
    if (outcome.status === 'applied' && outcome.plan.decision === 'failover' && failed.length === 0) {
      metrics.addMetric('Failovers', MetricUnit.Count, 1);
    }
    (failed.length > 0 ? logger.error : logger.info).call(logger, 'site plan', {
      site: outcome.site,
      status: outcome.status,
      plan: outcome.plan,
      results: outcome.results,
    });
  }
}
