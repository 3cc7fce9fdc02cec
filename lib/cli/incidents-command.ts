/** Wires `incidents list|show` to the state table named by TUNNEL_WARDEN_TABLE (read-only). */

import { dynamoClient } from '../aws/clients.js';
import { DynamoIncidentStore } from '../incidents/dynamo-store.js';
import type { IncidentStore } from '../incidents/ports.js';
import { tableName } from '../store/table.js';
import { InputError } from './errors.js';
import { type ListOptions, listIncidents, showIncident } from './incidents.js';

async function withStore<T>(use: (store: IncidentStore, table: string) => Promise<T>): Promise<T> {
  let table: string;
  try {
    table = tableName();
  } catch (error) {
    // Which table to read is the caller's input, like a file name: a missing one is exit 2.
    throw new InputError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const client = dynamoClient();
  try {
    return await use(new DynamoIncidentStore(client, table), table);
  } finally {
    client.destroy(); // open keep-alive sockets would hold the process for seconds
  }
}

export function incidentsList(options: ListOptions & { readonly json: boolean }): Promise<string> {
  return withStore((store) => listIncidents(store, options, { json: options.json }));
}

export function incidentsShow(id: string, options: { readonly json: boolean }): Promise<string> {
  return withStore((store, table) => showIncident(store, id, { json: options.json, table }));
}
