import type { ActionResult } from '../domain/apply-result.js';
import type { IncidentChange } from '../incidents/model.js';
import { redact } from '../incidents/redact.js';
import type { Plan } from '../policy/plan.js';
import type { ModeReading } from '../usecases/ports.js';
import type { RemediationReport } from '../usecases/remediate.js';

export interface CompactIncidentChange {
  readonly change: IncidentChange;
  readonly id: string;
  readonly kind: string;
  readonly severity: string;
  readonly status: string;
}

export type CompactSite =
  | {
      readonly site: string;
      readonly status: 'planned' | 'applied';
      readonly plan: Pick<
        Plan,
        'decision' | 'mode' | 'activePath' | 'desiredPath' | 'actions' | 'deferred' | 'findings'
      >;
      readonly results: readonly Pick<ActionResult, 'action' | 'outcome' | 'detail' | 'errorCode'>[];
      readonly incidents: readonly CompactIncidentChange[];
      readonly recordError?: string;
    }
  | { readonly site: string; readonly status: 'locked' }
  | { readonly site: string; readonly status: 'failed'; readonly error: string };

/** What a function returns — and what idempotency stores for redeliveries: the decisions, not the timelines. */
export interface CompactReport {
  readonly signal: { readonly kind: string; readonly eventId: string };
  readonly mode: ModeReading;
  readonly sites: readonly CompactSite[];
  readonly unmanaged: RemediationReport['unmanaged'];
  readonly unmanagedIncidents: readonly CompactIncidentChange[];
  readonly unmanagedErrors: readonly string[];
}

const incidentChange = (e: RemediationReport['unmanagedIncidents'][number]): CompactIncidentChange => ({
  change: e.change,
  id: e.incident.id,
  kind: e.incident.kind,
  severity: e.incident.severity,
  status: e.incident.status,
});

/**
 * The report without incident timelines and path assessments: a sweep of hundreds of sites must fit
 * the 400 KB DynamoDB item the idempotency record is. The full report is in the logs. It is stored
 * (idempotency) and returned to Lambda, so it is redacted like every other record: error messages
 * in it quote AWS, which may quote a pre-shared key.
 */
export function compactReport(report: RemediationReport): CompactReport {
  return redact({
    signal: { kind: report.signal.kind, eventId: report.signal.origin.eventId },
    mode: report.mode,
    unmanaged: report.unmanaged,
    unmanagedIncidents: report.unmanagedIncidents.map(incidentChange),
    unmanagedErrors: report.unmanagedErrors,
    sites: report.sites.map((s): CompactSite => {
      if (s.status === 'locked' || s.status === 'failed') return s;
      const { decision, mode, activePath, desiredPath, actions, deferred, findings } = s.plan;
      return {
        site: s.site,
        status: s.status,
        plan: {
          decision,
          mode,
          ...(activePath === undefined ? {} : { activePath }),
          ...(desiredPath === undefined ? {} : { desiredPath }),
          actions,
          deferred,
          findings,
        },
        results: s.results.map((r) => ({
          action: r.action,
          outcome: r.outcome,
          detail: r.detail,
          ...(r.errorCode === undefined ? {} : { errorCode: r.errorCode }),
        })),
        incidents: s.incidents.map(incidentChange),
        ...(s.recordError === undefined ? {} : { recordError: s.recordError }),
      };
    }),
  });
}
