/**
 * Where every function records and publishes incidents: the state table, the bus and the alarm topic.
 * One place, so the remediating functions and the read-only maintenance check cannot drift apart; it
 * imports nothing that writes routes (the maintenance role is derived from its imports).
 */
import type { Config } from '../config/schema.js';
import { DynamoIncidentStore } from '../incidents/dynamo-store.js';
import { AwsIncidentPublisher } from '../incidents/publisher.js';
import type { RecordDeps } from '../usecases/ports.js';
import type { RuntimeClients } from './clients.js';

const DAY_MS = 86_400_000;

export function incidentDeps(
  config: Config,
  clients: Pick<RuntimeClients, 'dynamo' | 'eventBridge' | 'sns'>,
  table: string,
): RecordDeps {
  return {
    store: new DynamoIncidentStore(clients.dynamo, table, {
      retentionDays: config.defaults.incidentRetention / DAY_MS,
    }),
    publisher: new AwsIncidentPublisher({
      eventBridge: clients.eventBridge,
      sns: clients.sns,
      busName: process.env.TUNNEL_WARDEN_EVENT_BUS ?? 'default',
      topicArn: process.env.TUNNEL_WARDEN_TOPIC_ARN,
    }),
    relapseWindowMs: config.defaults.relapseWindow,
  };
}
