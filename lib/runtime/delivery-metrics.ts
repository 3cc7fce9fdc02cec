import type { Metrics } from '@aws-lambda-powertools/metrics';
import { recordDeliveryFailure } from '../incidents/metrics.js';
import type { RemediationDeps } from '../usecases/ports.js';

/** Counts every failed delivery of an incident change (`DeliveryFailures` by `channel`), for its alarms. */
export function withDeliveryMetrics(deps: RemediationDeps, metrics: Metrics): RemediationDeps {
  const incidents = deps.incidents;
  return {
    ...deps,
    incidents: {
      ...incidents,
      onDeliveryFailure: (failure) => {
        incidents.onDeliveryFailure?.(failure);
        recordDeliveryFailure(metrics, failure.channel);
      },
    },
  };
}
