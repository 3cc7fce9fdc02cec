import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { sdkEc2Port } from '../aws/port.js';
import type { Config } from '../config/schema.js';
import { LEASE_MARGIN_MS } from '../domain/lease.js';
import type { RunDeadline } from '../domain/run.js';
import { DEDUPE_KEY_JMESPATH, type Signal } from '../domain/signal.js';
import type { InvocationContext } from '../events/parse.js';
import { recordIncidentMetrics } from '../incidents/metrics.js';
import { DynamoHistoryStore } from '../store/history.js';
import { SsmModeReader } from '../store/mode.js';
import { DynamoSiteLock } from '../store/site-lock-dynamo.js';
import { tableName } from '../store/table.js';
import { ModeUnreadableError, RemediationIncompleteError } from '../usecases/errors.js';
import type { RemediationDeps } from '../usecases/ports.js';
import { incompleteSites, remediate } from '../usecases/remediate.js';
import { runtimeClients } from './clients.js';
import { now } from './clock.js';
import { type CompactReport, compactReport } from './compact-report.js';
import { withDeliveryMetrics } from './delivery-metrics.js';
import { incidentDeps } from './incident-deps.js';
import { logReport } from './log-report.js';
import { metrics } from './observability.js';
import { runtimeConfig } from './settings.js';

let modeReader: { config: Config; ssm: SSMClient; reader: SsmModeReader } | undefined;

/** The kill switch caches its reading, so one reader lives as long as the container (and its config). */
function modeOf(config: Config, ssm: SSMClient): SsmModeReader {
  if (modeReader?.config !== config || modeReader.ssm !== ssm) {
    modeReader = { config, ssm, reader: new SsmModeReader(ssm, config.modeParameter, config.mode) };
  }
  return modeReader.reader;
}

export function runtimeDeps(
  invocation: InvocationContext,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  deadline: RunDeadline,
): RemediationDeps {
  const config = runtimeConfig();
  const clients = runtimeClients();
  const table = tableName();
  return {
    config,
    ec2: sdkEc2Port(clients.ec2),
    lock: new DynamoSiteLock(clients.dynamo, table),
    history: new DynamoHistoryStore(clients.dynamo, table),
    mode: modeOf(config, clients.ssm),
    clock: now,
    owner: invocation.requestId,
    lockTtlMs: context.getRemainingTimeInMillis() + LEASE_MARGIN_MS,
    deadline,
    incidents: {
      ...incidentDeps(config, clients, table),
      // Failovers are counted per applied plan (log-report.ts), not per incident change.
      onChange: (event) => recordIncidentMetrics(metrics, event, 0),
    },
  };
}

async function run(
  signal: Signal,
  invocation: InvocationContext,
  context: Context,
  deadline: RunDeadline,
): Promise<CompactReport> {
  const report = await remediate(
    signal,
    withDeliveryMetrics(runtimeDeps(invocation, context, deadline), metrics),
  );
  logReport(report);
  const incomplete = incompleteSites(report);
  const fellBack = report.mode.source === 'fallback';
  if (fellBack) metrics.addMetric('ModeUnreadable', MetricUnit.Count, 1);
  if (incomplete.length > 0) {
    metrics.addMetric('IncompleteSites', MetricUnit.Count, incomplete.length);
    // An alarm or Health event is retried by Lambda, then dead-lettered. A sweep or a drill is not
    // retried (the next sweep is the retry), so it does not fail: the metric and its alarm tell.
    if ('alarm' in signal || 'health' in signal) throw new RemediationIncompleteError(incomplete);
  }
  // Same rule for a broken kill switch: the run recorded why nothing moved, now Lambda must retry it.
  if (fellBack && ('alarm' in signal || 'health' in signal)) throw new ModeUnreadableError(report.mode);
  return compactReport(report);
}

let idempotent: { table: string; fn: typeof run; config: IdempotencyConfig } | undefined;

/**
 * Exactly-once effects on at-least-once delivery: the same signal (its origin's dedupe key, else its
 * event id — see DEDUPE_KEY_JMESPATH) runs the use case once; a redelivery gets the stored report back.
 * The key is taken after parsing, so a malformed event never touches the table.
 */
function idempotentRun(context: Context): typeof run {
  const table = tableName();
  if (idempotent?.table !== table) {
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: table,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      staticPkValue: 'IDEMPOTENCY',
      expiryAttr: 'expiresAt',
      awsSdkV3Client: runtimeClients().dynamo,
    });
    const config = new IdempotencyConfig({
      eventKeyJmesPath: DEDUPE_KEY_JMESPATH,
      expiresAfterSeconds: 2 * 3600,
    });
    idempotent = {
      table,
      config,
      fn: makeIdempotent(run, { persistenceStore, config, dataIndexArgument: 0 }),
    };
  }
  // The in-progress lock expires with the invocation's remaining time, so a timed-out run can be retried.
  idempotent.config.registerLambdaContext(context);
  return idempotent.fn;
}

/** The use case every remediating function runs. */
export async function remediateSignal(
  signal: Signal,
  invocation: InvocationContext,
  context: Context,
  deadline: RunDeadline,
): Promise<CompactReport> {
  return idempotentRun(context)(signal, invocation, context, deadline);
}
