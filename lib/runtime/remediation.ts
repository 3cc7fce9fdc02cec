import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ec2Client } from '../aws/clients.js';
import { sdkEc2Port } from '../aws/port.js';
import type { Config } from '../config/schema.js';
import type { InvocationContext } from '../events/parse.js';
import type { Signal } from '../events/signal.js';
import { DynamoHistoryStore } from '../store/history.js';
import { SsmModeReader, ssmClient } from '../store/mode.js';
import { DynamoSiteLock } from '../store/site-lock.js';
import { dynamoClient, tableName } from '../store/table.js';
import type { RemediationDeps } from '../usecases/ports.js';
import { type RemediationReport, remediate } from '../usecases/remediate.js';
import { logger } from './observability.js';
import { runtimeConfig } from './settings.js';

interface Clients {
  readonly ec2: EC2Client;
  readonly dynamo: DynamoDBClient;
  readonly ssm: SSMClient;
}

let clients: Clients | undefined;
let modeReader: { config: Config; reader: SsmModeReader } | undefined;

/** SDK clients are made once per container and reused; endpoints come from AWS_ENDPOINT_URL_* when set (the twin). */
function sdkClients(): Clients {
  clients ??= { ec2: ec2Client(), dynamo: dynamoClient(), ssm: ssmClient() };
  return clients;
}

/** The kill switch is cached inside the reader, so one reader lives as long as the container. */
function modeOf(config: Config, ssm: SSMClient): SsmModeReader {
  if (modeReader?.config !== config)
    modeReader = { config, reader: new SsmModeReader(ssm, config.modeParameter, config.mode) };
  return modeReader.reader;
}

export function runtimeDeps(invocation: InvocationContext): RemediationDeps {
  const config = runtimeConfig();
  const { ec2, dynamo, ssm } = sdkClients();
  const table = tableName();
  return {
    config,
    ec2: sdkEc2Port(ec2),
    lock: new DynamoSiteLock(dynamo, table),
    history: new DynamoHistoryStore(dynamo, table),
    mode: modeOf(config, ssm),
    clock: () => new Date(),
    owner: invocation.requestId,
  };
}

/** One structured line per site: the decision, the plan and what each action did. */
export function logReport(report: RemediationReport): void {
  logger.info('remediation', {
    signal: report.signal.kind,
    eventId: report.signal.origin.eventId,
    mode: report.mode,
    unmanaged: report.unmanaged,
  });
  for (const outcome of report.sites) {
    if (outcome.status === 'locked') {
      logger.warn('site locked by another invocation: it will converge the site', { site: outcome.site });
      continue;
    }
    const failed = outcome.results.filter((r) => r.outcome === 'failed');
    (failed.length > 0 ? logger.error : logger.info).call(logger, 'site plan', {
      site: outcome.site,
      status: outcome.status,
      plan: outcome.plan,
      results: outcome.results,
    });
  }
}

/** The use case every remediating function runs. */
export async function remediateSignal(
  signal: Signal,
  invocation: InvocationContext,
): Promise<RemediationReport> {
  const report = await remediate(signal, runtimeDeps(invocation));
  logReport(report);
  return report;
}
