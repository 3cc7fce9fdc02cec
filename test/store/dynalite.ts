import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLE_ATTRIBUTES, TABLE_KEY_SCHEMA } from '../../lib/store/table.js';

export interface LocalTable {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * An in-process dynalite on a random loopback port with a fresh table in the production layout. Each
 * test file gets its own server, so files running in parallel workers never share state.
 */
export async function startDynalite(label: string): Promise<LocalTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite did not bind a TCP port');
  const endpoint = `http://127.0.0.1:${(address satisfies AddressInfo).port}`;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    // Static fakes: the SDK must never walk the default chain (env, ~/.aws, IMDS) from a test.
    credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
  });
  const table = `tw-${label}-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [...TABLE_KEY_SCHEMA],
      AttributeDefinitions: [...TABLE_ATTRIBUTES],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return {
    client,
    table,
    endpoint,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
